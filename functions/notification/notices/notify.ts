import { randomUUID } from 'node:crypto';
import type { HandlerContext } from '../../../shared/runtime';
import type { NoticeKind } from '../../../shared/notifications/kinds';
import type { NotificationConfig } from '../config';
import { recordNotices, type NoticeRow } from '../queries/notifications';
import type { MailContent } from '../sending/mailer';
import { sendLeased } from '../sending/send-notice';
import { sendingSetup } from '../sending/setup';
import type { PlannedNotice } from './plan';
import { renderNotice, type NoticeFacts } from './render';

export interface NoticeCauseRef {
  eventId: string;
  merchantId: string;
  merchantName: string;
  senderName: string | null;
  /** The merchant's first address: where a buyer's reply goes. */
  replyTo: string | null;
  invoiceId: string | null;
}

/**
 * Records each planned notice (rendered once, so every attempt sends the same message), then sends
 * those new here, one after another (an event makes a few). A redelivered event records none and sends
 * nothing more.
 */
export async function notify(
  context: HandlerContext,
  cause: NoticeCauseRef,
  planned: PlannedNotice[],
  factsFor: (kind: NoticeKind) => NoticeFacts,
): Promise<void> {
  if (planned.length === 0) return;
  const { config } = sendingSetup(context.db);
  const rows = planned.map((notice) => noticeRow(config, cause, notice, factsFor(notice.kind)));
  const recorded = new Set((await recordNotices(context.db, rows)).map((r) => r.id));
  for (const row of rows) if (recorded.has(row.id)) await sendLeased({ ...row, attempts: 1 }, context);
}

function noticeRow(
  config: NotificationConfig,
  cause: NoticeCauseRef,
  notice: PlannedNotice,
  facts: NoticeFacts,
): NoticeRow {
  const id = randomUUID();
  const rendered = renderNotice(facts);
  const domain = config.MAIL_FROM.split('@')[1] ?? 'localhost';
  const messageId = `<${id}@${domain}>`;
  const toBuyer = notice.audience === 'buyer';
  const content: MailContent = {
    from: `"${(cause.senderName ?? cause.merchantName).replace(/["\\\r\n]/g, '')}" <${config.MAIL_FROM}>`,
    to: notice.recipient,
    ...(toBuyer && cause.replyTo ? { replyTo: cause.replyTo } : {}),
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId,
    // Buyer mail is the merchant's mail to a customer: the buyer can ask for no more (RFC 2369).
    headers: toBuyer ? { 'List-Unsubscribe': `<mailto:${cause.replyTo ?? config.MAIL_FROM}?subject=unsubscribe>` } : {},
  };
  return {
    id,
    merchantId: cause.merchantId,
    causeEventId: cause.eventId,
    kind: notice.kind,
    audience: notice.audience,
    recipient: notice.recipient,
    invoiceId: cause.invoiceId,
    subject: rendered.subject,
    content,
    messageId,
  };
}
