import { z } from 'zod';
import type { BuyerNoticeKind, MerchantNoticeKind, NoticeKind } from '../../../shared/notifications/kinds';
import type { NotificationSettings } from '../../../shared/notifications/settings';

/** What of an event's data decides its notices. */
export interface NoticeCause {
  additionalStatus?: string;
  partiallyPaid?: boolean;
  reason?: string;
  [field: string]: unknown;
}

type Kinds = { merchant: MerchantNoticeKind | null; buyer: BuyerNoticeKind | null };

/** Which merchant notice and which buyer notice each event makes (either may be none). */
const byEventType: Record<string, (cause: NoticeCause) => Kinds> = {
  'io.knpay.invoice.settled.v1': (c) => ({
    merchant: c.additionalStatus === 'Marked' ? 'invoice.marked' : 'invoice.settled',
    buyer: 'buyer.receipt',
  }),
  'io.knpay.invoice.paid-partial.v1': () => ({ merchant: 'invoice.paid-partial', buyer: 'buyer.paid-partial' }),
  'io.knpay.invoice.paid-late.v1': () => ({ merchant: 'invoice.paid-late', buyer: null }),
  'io.knpay.invoice.expired.v1': (c) => ({ merchant: c.partiallyPaid ? 'invoice.expired-partial' : null, buyer: null }),
  'io.knpay.invoice.invalid.v1': (c) => ({
    merchant: c.reason === 'marked' ? 'invoice.marked' : 'invoice.invalid',
    buyer: null,
  }),
  'io.knpay.webhook.endpoint.disabled.v1': () => ({ merchant: 'webhook.endpoint.disabled', buyer: null }),
  'io.knpay.webhook.endpoint.recovered.v1': () => ({ merchant: 'webhook.endpoint.recovered', buyer: null }),
};

export function noticeKinds(type: string, cause: NoticeCause): Kinds {
  return byEventType[type]?.(cause) ?? { merchant: null, buyer: null };
}

export interface PlannedNotice {
  kind: NoticeKind;
  audience: 'merchant' | 'buyer';
  recipient: string;
}

const buyerEmail = z.email().max(254);

/**
 * Who gets what: the merchant notice to each of the merchant's addresses when that notice is switched
 * on; the buyer notice to `metadata.buyerEmail` when the merchant allows buyer mail and the address is
 * one (anything else there is ignored, not mailed).
 */
export function planNotices(
  kinds: Kinds,
  settings: NotificationSettings,
  metadata: Record<string, unknown> | null,
): PlannedNotice[] {
  const merchant = kinds.merchant;
  const toMerchant =
    merchant && settings.notices.includes(merchant)
      ? [...new Set(settings.emails.map((e) => e.toLowerCase()))].map((recipient) => ({
          kind: merchant,
          audience: 'merchant' as const,
          recipient,
        }))
      : [];
  // Most invoices carry no address: checked only when there is one (a failed parse builds an error).
  const address = metadata?.['buyerEmail'];
  const buyer = typeof address === 'string' ? buyerEmail.safeParse(address) : { success: false as const };
  const toBuyer =
    kinds.buyer && settings.buyerReceipts && buyer.success
      ? [{ kind: kinds.buyer, audience: 'buyer' as const, recipient: buyer.data.toLowerCase() }]
      : [];
  return [...toMerchant, ...toBuyer];
}
