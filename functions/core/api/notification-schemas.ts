import { z } from 'zod';
import { notificationStatus } from '../../../shared/events/schemas/statuses';
import { buyerNoticeKinds, merchantNoticeKinds } from '../../../shared/notifications/kinds';
import { notificationSettings } from '../../../shared/notifications/settings';
import { cursor } from './webhook-schemas';

/** Any of the fields, each replacing what was there; `emails: []` stops merchant mail. */
export const updateSettingsBody = z
  .strictObject({
    emails: notificationSettings.shape.emails.optional(),
    notices: notificationSettings.shape.notices.optional(),
    buyerReceipts: notificationSettings.shape.buyerReceipts.optional(),
    senderName: notificationSettings.shape.senderName.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one setting to change' });

export const listNotificationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor,
});

export const notificationResource = z.object({
  id: z.uuid(),
  kind: z.enum([...merchantNoticeKinds, ...buyerNoticeKinds]),
  audience: z.enum(['merchant', 'buyer']),
  recipient: z.string(),
  subject: z.string(),
  invoiceId: z.uuid().nullable(),
  status: notificationStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});

export const notificationList = z.object({ data: z.array(notificationResource), nextCursor: z.string().nullable() });

export type UpdateSettingsBody = z.output<typeof updateSettingsBody>;
export type ListNotificationsQuery = z.output<typeof listNotificationsQuery>;
