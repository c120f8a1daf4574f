import type { Notification, NotificationSettings as SettingsRow } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { olderThan } from './page';

/** The merchant's address and stored settings (null: none stored, the defaults apply). */
export function findSettings(db: Db, merchantId: string) {
  return db.merchant.findUnique({
    where: { id: merchantId },
    select: { email: true, notificationSettings: true },
  });
}

export function saveSettings(
  db: Db,
  merchantId: string,
  settings: Pick<SettingsRow, 'emails' | 'notices' | 'buyerReceipts' | 'senderName'>,
): Promise<SettingsRow> {
  return db.notificationSettings.upsert({
    where: { merchantId },
    create: { merchantId, ...settings },
    update: settings,
  });
}

/** The merchant's notices, newest first (the notification function writes them). */
export function listNotifications(
  db: Db,
  filter: { merchantId: string; after?: { createdAt: Date; id: string } | undefined; limit: number },
): Promise<Notification[]> {
  return db.notification.findMany({
    where: { merchantId: filter.merchantId, ...olderThan(filter.after) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit,
  });
}
