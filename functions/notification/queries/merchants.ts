import type { Db } from '../../../shared/db';
import { settingsOf, type NotificationSettings } from '../../../shared/notifications/settings';

/** The merchant's name and e-mail settings (its stored ones, or the defaults). Null: no such merchant. */
export async function notifiedMerchant(
  db: Db,
  merchantId: string,
): Promise<{ name: string; settings: NotificationSettings } | null> {
  const merchant = await db.merchant.findUnique({ where: { id: merchantId }, include: { notificationSettings: true } });
  if (!merchant) return null;
  return { name: merchant.name, settings: settingsOf(merchant.notificationSettings, merchant.email) };
}
