import { z } from 'zod';
import { merchantNoticeKind, merchantNoticeKinds, type MerchantNoticeKind } from './kinds';

/** A merchant's e-mail settings, as the merchant API shows them and the notification function reads them. */
export const notificationSettings = z.object({
  emails: z.array(z.email().max(254)).max(5).meta({ description: 'Where merchant notices go' }),
  notices: z.array(merchantNoticeKind).meta({ description: 'The merchant notices sent' }),
  buyerReceipts: z.boolean().meta({
    description: "Receipts and partial-payment notices to the buyer, when the invoice's metadata has buyerEmail",
  }),
  senderName: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .meta({ description: "The name mail is sent as; null: the merchant's" }),
});
export type NotificationSettings = z.output<typeof notificationSettings>;

/**
 * What a merchant with no settings gets: every merchant notice, to the address the merchant was created
 * with (none: no merchant mail until one is set), under the merchant's name; nothing to buyers until
 * the merchant says so, since the mail goes out in the merchant's name.
 */
export function defaultSettings(merchantEmail: string | null): NotificationSettings {
  return {
    emails: merchantEmail ? [merchantEmail] : [],
    notices: [...merchantNoticeKinds],
    buyerReceipts: false,
    senderName: null,
  };
}

/** The stored row, or the defaults, as one shape. */
export function settingsOf(
  row: { emails: string[]; notices: string[]; buyerReceipts: boolean; senderName: string | null } | null,
  merchantEmail: string | null,
): NotificationSettings {
  if (!row) return defaultSettings(merchantEmail);
  const known = new Set<string>(merchantNoticeKinds);
  return {
    emails: row.emails,
    notices: row.notices.filter((n): n is MerchantNoticeKind => known.has(n)),
    buyerReceipts: row.buyerReceipts,
    senderName: row.senderName,
  };
}
