import { z } from 'zod';
import { uuid } from './fields';

export const notificationSent = z.object({
  notificationId: uuid,
  merchantId: uuid,
  channel: z.enum(['email', 'in-app']),
  template: z.string().min(1),
  /** The domain event that caused the notification. */
  causeEventId: z.string().min(1),
});
