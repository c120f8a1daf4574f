import { z } from 'zod';
import { timestamp, uuid } from './fields';

export const notificationSent = z.object({
  notificationId: uuid,
  merchantId: uuid,
  channel: z.enum(['email', 'in-app']),
  template: z.string().min(1),
  /** The domain event that caused the notification. */
  causeEventId: z.string().min(1),
});

/** cron's sweep: notices are due (a retry's time came, or a send whose process died). */
export const notificationsDue = z.object({ dueSince: timestamp });
