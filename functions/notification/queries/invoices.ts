import { Prisma, type Invoice } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { merchantColumns, notifiedMerchantOf, type MerchantColumns, type NotifiedMerchant } from './merchants';

/** An invoice row as pg reads it: NUMERIC and BIGINT as exact decimal strings. */
type InvoiceColumns = Omit<Invoice, 'amount' | 'amountPaid' | 'amountSettled' | 'fiatAmount'> & {
  amount: string;
  amountPaid: string;
  amountSettled: string | null;
  fiatAmount: string | null;
};

/**
 * The invoice a notice is about (its payments are not shown in mail), its merchant's name and e-mail
 * settings (stored, or the defaults): one statement per event, as every notice needs all three.
 */
export async function invoiceToNotify(
  db: Db,
  id: string,
): Promise<{ invoice: Invoice; merchant: NotifiedMerchant } | null> {
  // On the pool as written (db.sql), as every notice's first statement: numbers come back as text.
  const [row] = await db.sql.query<InvoiceColumns & MerchantColumns>(Prisma.sql`
    SELECT i.id, i.merchant_id AS "merchantId", i.status, i.additional_status AS "additionalStatus",
           i.chain_id AS "chainId", i.asset, i.amount, i.amount_paid AS "amountPaid",
           i.amount_settled AS "amountSettled", i.fiat_amount AS "fiatAmount", i.fiat_currency AS "fiatCurrency",
           i.rate, i.deposit_address AS "depositAddress", i.address_index AS "addressIndex",
           i.confirmations_required AS "confirmationsRequired", i.tolerance_bps AS "toleranceBps", i.metadata,
           i.redirect_url AS "redirectUrl", i.expires_at AS "expiresAt", i.monitoring_until AS "monitoringUntil",
           i.created_at AS "createdAt", i.updated_at AS "updatedAt", ${merchantColumns}
    FROM invoices i
    JOIN merchants m ON m.id = i.merchant_id
    LEFT JOIN notification_settings s ON s.merchant_id = i.merchant_id
    WHERE i.id = ${id}::uuid`);
  if (!row) return null;
  const { merchantName, merchantEmail, stored, emails, notices, buyerReceipts, senderName, ...columns } = row;
  const merchant = { merchantName, merchantEmail, stored, emails, notices, buyerReceipts, senderName };
  return {
    invoice: {
      ...columns,
      amount: new Prisma.Decimal(columns.amount),
      amountPaid: new Prisma.Decimal(columns.amountPaid),
      amountSettled: columns.amountSettled === null ? null : new Prisma.Decimal(columns.amountSettled),
      fiatAmount: columns.fiatAmount === null ? null : BigInt(columns.fiatAmount),
    },
    merchant: notifiedMerchantOf(merchant),
  };
}
