import { Prisma } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { settingsOf, type NotificationSettings } from '../../../shared/notifications/settings';

export interface NotifiedMerchant {
  name: string;
  settings: NotificationSettings;
}

/** The merchant's columns a notice needs, over `merchants m LEFT JOIN notification_settings s`. */
export const merchantColumns = Prisma.sql`
  m.name AS "merchantName", m.email AS "merchantEmail", s.merchant_id IS NOT NULL AS stored, s.emails, s.notices,
  s.buyer_receipts AS "buyerReceipts", s.sender_name AS "senderName"`;

export interface MerchantColumns {
  merchantName: string;
  merchantEmail: string | null;
  stored: boolean;
  emails: string[];
  notices: string[];
  buyerReceipts: boolean;
  senderName: string | null;
}

/** The merchant's name and its stored settings, or the defaults when it stored none. */
export function notifiedMerchantOf(row: MerchantColumns): NotifiedMerchant {
  const { emails, notices, buyerReceipts, senderName } = row;
  return {
    name: row.merchantName,
    settings: settingsOf(row.stored ? { emails, notices, buyerReceipts, senderName } : null, row.merchantEmail),
  };
}

/** The merchant's name and e-mail settings, in one query. Null: no such merchant. */
export async function notifiedMerchant(db: Db, merchantId: string): Promise<NotifiedMerchant | null> {
  const [row] = await db.sql.query<MerchantColumns>(Prisma.sql`
    SELECT ${merchantColumns}
    FROM merchants m LEFT JOIN notification_settings s ON s.merchant_id = m.id
    WHERE m.id = ${merchantId}::uuid`);
  return row ? notifiedMerchantOf(row) : null;
}
