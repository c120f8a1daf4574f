import { Prisma, type Invoice, type Payment } from '../../../prisma/generated/client';
import { outboxInsert, wakeRelay, type Db } from '../../../shared/db';
import type { DomainEvent } from '../../../shared/events';
import { IDEMPOTENCY_KEY_LIFETIME as KEY_LIFETIME } from '../../../shared/db/idempotency-keys';
import type { IdempotentRequest, StoredKey } from './idempotency-keys';

/**
 * The BIP32 index i of a new invoice's address: one released by a request that did not create its
 * invoice (lowest first), else the next from the column's sequence, which never gives one value twice.
 * When the request repeats a live Idempotency-Key, the key's row instead and no index. A wallet finds
 * its addresses by scanning until 20 unused ones in a row, so neither retries nor failed requests
 * may leave gaps. One round trip either way.
 */
export async function reserveAddressIndex(
  db: Db,
  request?: IdempotentRequest,
): Promise<{ index: number } | { stored: StoredKey }> {
  const [row] = await db.$queryRaw<
    { request_hash: string | null; status: number | null; response_body: string | null; index: number | null }[]
  >`
    WITH held AS (
      SELECT request_hash, status, response_body FROM idempotency_keys
      WHERE merchant_id = ${request?.merchantId ?? null}::uuid AND key = ${request?.key ?? null}::text AND created_at >= now() - ${KEY_LIFETIME}
    ),
    reused AS (
      DELETE FROM released_address_indexes
      WHERE address_index = (SELECT address_index FROM released_address_indexes WHERE NOT EXISTS (SELECT FROM held)
                             ORDER BY address_index LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING address_index
    )
    SELECT held.request_hash, held.status, held.response_body,
           CASE WHEN held.request_hash IS NULL THEN COALESCE((SELECT address_index FROM reused), nextval('invoices_address_index_seq')::int) END AS index
    FROM (VALUES (1)) AS one LEFT JOIN held ON TRUE`;
  if (row?.index != null) return { index: row.index };
  if (row?.request_hash == null || row.status === null || row.response_body === null)
    throw new Error('reserveAddressIndex: neither an index nor a stored key');
  return { stored: { requestHash: row.request_hash, status: row.status, responseBody: row.response_body } };
}

/** Hands back an index whose invoice was not created: the next invoice takes it. */
export async function releaseAddressIndex(db: Db, index: number): Promise<void> {
  await db.$executeRaw`INSERT INTO released_address_indexes (address_index) VALUES (${index}) ON CONFLICT DO NOTHING`;
}

/**
 * Creates the invoice and its outbox events in one statement, so one round trip, atomic without an
 * interactive transaction: the key claim (when the request has one) gates the insert, the insert
 * gates the events. Resolves false when the claim found the key taken (a concurrent repeat).
 */
export async function insertInvoiceOnce(
  db: Db,
  invoice: Invoice,
  events: DomainEvent[],
  claim?: Prisma.Sql,
): Promise<boolean> {
  const [row] = await db.$queryRaw<{ created: boolean }[]>`
    WITH claim AS (${claim ?? Prisma.sql`SELECT 1`}),
    invoice AS (
      INSERT INTO invoices (id, merchant_id, chain_id, asset, amount, fiat_amount, fiat_currency, rate, deposit_address, address_index,
                            confirmations_required, tolerance_bps, metadata, redirect_url, expires_at, monitoring_until, created_at, updated_at)
      SELECT ${invoice.id}::uuid, ${invoice.merchantId}::uuid, ${invoice.chainId}, ${invoice.asset}, ${invoice.amount.toFixed()}::numeric,
             ${invoice.fiatAmount}::bigint, ${invoice.fiatCurrency}, ${invoice.rate}, ${invoice.depositAddress}, ${invoice.addressIndex},
             ${invoice.confirmationsRequired}, ${invoice.toleranceBps}, ${JSON.stringify(invoice.metadata)}::jsonb, ${invoice.redirectUrl},
             ${invoice.expiresAt}, ${invoice.monitoringUntil}, ${invoice.createdAt}, ${invoice.updatedAt}
      WHERE EXISTS (SELECT FROM claim)
      RETURNING id
    ),
    outbox AS (${outboxInsert(events, Prisma.sql`EXISTS (SELECT FROM invoice)`)})
    SELECT EXISTS (SELECT FROM invoice) AS created, ${wakeRelay}::text AS woken`;
  return row?.created === true;
}

export function findInvoice(
  db: Db,
  merchantId: string,
  id: string,
): Promise<(Invoice & { payments: Payment[] }) | null> {
  return db.invoice.findFirst({
    where: { id, merchantId },
    include: { payments: { orderBy: [{ blockNumber: 'asc' }, { logIndex: 'asc' }] } },
  });
}

export interface InvoiceFilter {
  merchantId: string;
  statuses?: Invoice['status'][] | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  /** The last row of the previous page: the page starts strictly after it, newest first. */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first, by (created_at, id) so rows created in the same millisecond still page stably. */
export function listInvoices(db: Db, filter: InvoiceFilter, now: Date = new Date()): Promise<Invoice[]> {
  const { after } = filter;
  return db.invoice.findMany({
    where: {
      merchantId: filter.merchantId,
      ...(filter.statuses ? { AND: [{ OR: filter.statuses.map((status) => statusCondition(status, now)) }] } : {}),
      createdAt: {
        ...(filter.createdFrom ? { gte: filter.createdFrom } : {}),
        ...(filter.createdTo ? { lt: filter.createdTo } : {}),
      },
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit,
  });
}

/**
 * Invoices in `status` as the API shows them (shared/invoices/resource.ts: statusAsOf): a New invoice past
 * its expiry is Expired, whether or not the payment function has recorded it yet.
 */
function statusCondition(status: Invoice['status'], now: Date): Prisma.InvoiceWhereInput {
  if (status === 'New') return { status: 'New', expiresAt: { gt: now } };
  if (status === 'Expired') return { OR: [{ status: 'Expired' }, { status: 'New', expiresAt: { lte: now } }] };
  return { status };
}
