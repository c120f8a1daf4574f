import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import type { NoticeKind } from '../../../shared/notifications/kinds';
import { settingsOf, type NotificationSettings } from '../../../shared/notifications/settings';
import type { ListNotificationsQuery, UpdateSettingsBody } from '../api/notification-schemas';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { findSettings, listNotifications, saveSettings } from '../queries/notifications';

export async function getSettings(db: Db, merchantId: string): Promise<NotificationSettings> {
  const merchant = await findSettings(db, merchantId);
  if (!merchant) throw new ProblemError('not-found', `No merchant ${merchantId}`);
  return settingsOf(merchant.notificationSettings, merchant.email);
}

/** The settings as they are (stored or default), with what the body names replaced. */
export async function updateSettings(db: Db, merchantId: string, body: UpdateSettingsBody) {
  const current = await getSettings(db, merchantId);
  const next: NotificationSettings = {
    emails: body.emails ? [...new Set(body.emails.map((e) => e.toLowerCase()))] : current.emails,
    notices: body.notices ? [...new Set(body.notices)] : current.notices,
    buyerReceipts: body.buyerReceipts ?? current.buyerReceipts,
    senderName: body.senderName === undefined ? current.senderName : body.senderName,
  };
  await saveSettings(db, merchantId, next);
  return next;
}

export async function notificationsPage(db: Db, merchantId: string, query: ListNotificationsQuery) {
  const rows = await listNotifications(db, {
    merchantId,
    after: decodeCursor(query.cursor),
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit, (n) => ({
    id: n.id,
    kind: n.kind as NoticeKind,
    audience: n.audience as 'merchant' | 'buyer',
    recipient: n.recipient,
    subject: n.subject,
    invoiceId: n.invoiceId,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: n.createdAt.toISOString(),
    sentAt: n.sentAt?.toISOString() ?? null,
  }));
}
