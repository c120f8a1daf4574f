import type { Db } from '../../../shared/db';
import { settingsOf, type NotificationSettings } from '../../../shared/notifications/settings';

/** The merchant's name and e-mail settings (its stored ones, or the defaults), in one query. Null: no such merchant. */
export async function notifiedMerchant(
  db: Db,
  merchantId: string,
): Promise<{ name: string; settings: NotificationSettings } | null> {
  const [row] = await db.$queryRaw<
    {
      name: string;
      email: string | null;
      stored: boolean;
      emails: string[];
      notices: string[];
      buyerReceipts: boolean;
      senderName: string | null;
    }[]
  >`
    SELECT m.name, m.email, s.merchant_id IS NOT NULL AS stored, s.emails, s.notices,
           s.buyer_receipts AS "buyerReceipts", s.sender_name AS "senderName"
    FROM merchants m LEFT JOIN notification_settings s ON s.merchant_id = m.id
    WHERE m.id = ${merchantId}::uuid`;
  if (!row) return null;
  return { name: row.name, settings: settingsOf(row.stored ? row : null, row.email) };
}
