import { z } from 'zod';

/**
 * Every notice, declared once: the merchant API's settings (core) and the notification function derive
 * from it. Merchant notices are switched one by one in the settings; buyer notices all at once
 * (`buyerReceipts`), and only for an invoice whose metadata names the buyer's address.
 */
export const merchantNoticeKinds = [
  'invoice.settled',
  'invoice.paid-partial',
  'invoice.paid-late',
  'invoice.expired-partial',
  'invoice.invalid',
  'invoice.marked',
  'webhook.endpoint.disabled',
  'webhook.endpoint.recovered',
] as const;
export const buyerNoticeKinds = ['buyer.receipt', 'buyer.paid-partial'] as const;

export const merchantNoticeKind = z.enum(merchantNoticeKinds);
export type MerchantNoticeKind = z.output<typeof merchantNoticeKind>;
export type BuyerNoticeKind = (typeof buyerNoticeKinds)[number];
export type NoticeKind = MerchantNoticeKind | BuyerNoticeKind;
