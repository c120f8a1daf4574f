import type { InvoiceAdditionalStatus, InvoiceStatus } from '../../../prisma/generated/enums';
import type { Db } from '../../../shared/db';

/** What a checkout page shows of one invoice: nothing of its merchant but the name and framing rule. */
export interface CheckoutRow {
  id: string;
  status: InvoiceStatus;
  additionalStatus: InvoiceAdditionalStatus;
  chainId: number;
  asset: string;
  amount: string;
  amountPaid: string;
  fiatAmount: string | null;
  fiatCurrency: string | null;
  depositAddress: string;
  confirmationsRequired: number;
  /** The fewest confirmations among the payments still confirming (null: none is). */
  lowestConfirmations: number | null;
  orderId: string | null;
  redirectUrl: string | null;
  expiresAt: Date;
  merchantName: string;
  /** Origins the merchant lets embed its pages (CSP frame-ancestors). */
  frameAncestors: string[];
}

/**
 * Every watched invoice in one statement: the live pages of a process share one query per poll,
 * however many invoices and pages are open (services/checkout-live.ts).
 */
export function findCheckouts(db: Db, ids: string[]): Promise<CheckoutRow[]> {
  return db.$queryRaw<CheckoutRow[]>`
    SELECT i.id, i.status, i.additional_status AS "additionalStatus", i.chain_id AS "chainId", i.asset,
           i.amount::text AS amount, i.amount_paid::text AS "amountPaid", i.fiat_amount::text AS "fiatAmount",
           i.fiat_currency AS "fiatCurrency", i.deposit_address AS "depositAddress",
           i.confirmations_required AS "confirmationsRequired",
           (SELECT min(p.confirmations) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'Detected')
             AS "lowestConfirmations",
           i.metadata->>'orderId' AS "orderId", i.redirect_url AS "redirectUrl", i.expires_at AS "expiresAt",
           m.name AS "merchantName", coalesce(s.frame_ancestors, '{}') AS "frameAncestors"
    FROM invoices i
    JOIN merchants m ON m.id = i.merchant_id
    LEFT JOIN checkout_settings s ON s.merchant_id = i.merchant_id
    WHERE i.id = ANY(${ids}::uuid[])`;
}
