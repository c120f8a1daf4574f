import { Prisma, type WebhookEndpoint, type WebhookMessage } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { outboxInsert, wakeRelay } from '../../../shared/db';
import { createEvent } from '../../../shared/events';
import { enablingColumns } from '../../../shared/webhooks/enabling';
import type { AuditTx } from '../services/audited';

export type Cursor = { createdAt: Date; id: string };

/** An endpoint as its table has it, with what has not arrived (listEndpoints). */
export type EndpointRow = Pick<
  WebhookEndpoint,
  'id' | 'merchantId' | 'url' | 'description' | 'eventTypes' | 'enabled' | 'disabledReason' | 'awaitingRecovery'
> & {
  createdAt: Date;
  retrying: number;
  failed: number;
  oldestAt: Date | null;
  lastFailureAt: Date | null;
  lastFailureStatus: number | null;
  lastFailureError: string | null;
};

/**
 * Live endpoints across merchants, newest first, each with what has not arrived: its messages attempted
 * and not delivered (webhook_messages_undelivered_idx holds only those) and the latest failed attempt.
 */
export function listEndpoints(
  db: Db,
  filter: {
    id?: string;
    merchantId?: string | undefined;
    state?: 'failing' | 'disabled' | undefined;
    after?: Cursor | undefined;
    limit: number;
  },
): Promise<EndpointRow[]> {
  const conditions = [Prisma.sql`e.deleted_at IS NULL`];
  if (filter.id) conditions.push(Prisma.sql`e.id = ${filter.id}::uuid`);
  if (filter.merchantId) conditions.push(Prisma.sql`e.merchant_id = ${filter.merchantId}::uuid`);
  if (filter.state === 'disabled') conditions.push(Prisma.sql`NOT e.enabled`);
  if (filter.state === 'failing') conditions.push(Prisma.sql`e.enabled AND u.retrying + u.failed > 0`);
  if (filter.after)
    conditions.push(Prisma.sql`(e.created_at, e.id) < (${filter.after.createdAt}, ${filter.after.id}::uuid)`);
  return db.$queryRaw<EndpointRow[]>`
    SELECT e.id::text, e.merchant_id::text AS "merchantId", e.url, e.description, e.event_types AS "eventTypes",
           e.enabled, e.disabled_reason AS "disabledReason", e.awaiting_recovery AS "awaitingRecovery",
           e.created_at AS "createdAt", u.retrying, u.failed, u."oldestAt",
           f.attempted_at AS "lastFailureAt", f.status_code AS "lastFailureStatus", f.error AS "lastFailureError"
    FROM webhook_endpoints e
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE m.status = 'Pending')::int AS retrying,
             count(*) FILTER (WHERE m.status = 'Failed')::int AS failed, min(m.created_at) AS "oldestAt"
      FROM webhook_messages m WHERE m.endpoint_id = e.id AND m.status <> 'Delivered' AND m.attempts > 0) u
    LEFT JOIN LATERAL (
      SELECT a.attempted_at, a.status_code, a.error
      FROM webhook_messages m JOIN webhook_attempts a ON a.message_id = m.id
      WHERE m.endpoint_id = e.id AND m.status <> 'Delivered' AND m.attempts > 0
      ORDER BY a.attempted_at DESC LIMIT 1) f ON true
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY e.created_at DESC, e.id DESC
    LIMIT ${filter.limit + 1}`;
}

export interface MessageSearch {
  merchantId?: string | undefined;
  endpointId?: string | undefined;
  status?: WebhookMessage['status'] | undefined;
  eventType?: string | undefined;
  eventId?: string | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  after?: Cursor | undefined;
  limit: number;
}

/**
 * Messages across merchants, newest first. The table takes every delivery's writes, so the search adds
 * no index to it: it walks the endpoints (the merchant's, one, or all) and takes each one's newest
 * matches from the endpoint's own indexes (by time; by event id, the unique key; failed ones, the
 * undelivered index), then the newest of those. Cost grows with the endpoints searched, not the messages.
 */
export function searchMessages(db: Db, search: MessageSearch): Promise<WebhookMessage[]> {
  const endpoints: Prisma.Sql[] = [Prisma.sql`true`];
  if (search.merchantId) endpoints.push(Prisma.sql`e.merchant_id = ${search.merchantId}::uuid`);
  if (search.endpointId) endpoints.push(Prisma.sql`e.id = ${search.endpointId}::uuid`);
  const messages: Prisma.Sql[] = [Prisma.sql`m.endpoint_id = e.id`];
  const add = (condition: Prisma.Sql) => messages.push(condition);
  // Failed implies attempted: said here, the planner can use the undelivered index.
  if (search.status) add(Prisma.sql`m.status = ${search.status}::webhook_message_status`);
  if (search.status === 'Failed') add(Prisma.sql`m.attempts > 0`);
  if (search.eventType) add(Prisma.sql`m.event_type = ${search.eventType}`);
  if (search.eventId) add(Prisma.sql`m.event_id = ${search.eventId}`);
  if (search.createdFrom) add(Prisma.sql`m.created_at >= ${search.createdFrom}`);
  if (search.createdTo) add(Prisma.sql`m.created_at < ${search.createdTo}`);
  if (search.after) add(Prisma.sql`(m.created_at, m.id) < (${search.after.createdAt}, ${search.after.id}::uuid)`);
  // Positions first (from the indexes alone when only time orders them), then the page's rows.
  return db.$queryRaw<WebhookMessage[]>`
    SELECT m.id::text, m.endpoint_id::text AS "endpointId", m.merchant_id::text AS "merchantId",
           m.event_id AS "eventId", m.event_type AS "eventType", m.body, m.status::text, m.attempts,
           m.next_attempt_at AS "nextAttemptAt", m.leased_until AS "leasedUntil", m.created_at AS "createdAt",
           m.delivered_at AS "deliveredAt"
    FROM (
      SELECT p.id FROM webhook_endpoints e
      CROSS JOIN LATERAL (
        SELECT m.id, m.created_at FROM webhook_messages m WHERE ${Prisma.join(messages, ' AND ')}
        ORDER BY m.created_at DESC, m.id DESC LIMIT ${search.limit + 1}) p
      WHERE ${Prisma.join(endpoints, ' AND ')}
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT ${search.limit + 1}) page
    JOIN webhook_messages m ON m.id = page.id
    ORDER BY m.created_at DESC, m.id DESC`;
}

/** One message with its endpoint and every attempt, oldest first. */
export function findMessage(db: Db, id: string) {
  return db.webhookMessage.findUnique({
    where: { id },
    include: {
      endpoint: { select: { id: true, url: true, enabled: true, deletedAt: true } },
      attemptsLog: { orderBy: { id: 'asc' } },
    },
  });
}

/**
 * Enables a live endpoint that is disabled (locked, so two operators cannot both); its state before, or
 * why not: no such endpoint, or enabled already.
 */
export async function enableEndpoint(
  tx: AuditTx,
  id: string,
): Promise<{ before: { enabled: false; disabledReason: string | null } } | 'not-found' | 'enabled'> {
  const [row] = await tx.$queryRaw<{ enabled: boolean; disabledReason: string | null }[]>`
    SELECT enabled, disabled_reason AS "disabledReason" FROM webhook_endpoints
    WHERE id = ${id}::uuid AND deleted_at IS NULL FOR UPDATE`;
  if (!row) return 'not-found';
  if (row.enabled) return 'enabled';
  await tx.$executeRaw`
    UPDATE webhook_endpoints SET enabled = true, ${enablingColumns(true)}, updated_at = now()
    WHERE id = ${id}::uuid`;
  return { before: { enabled: false, disabledReason: row.disabledReason } };
}

/** What a redelivery request can come to: asked of the webhooks function, or why not. */
export const redeliveryOutcomes = ['requested', 'endpoint-disabled', 'endpoint-deleted', 'not-found'] as const;
export type RedeliveryOutcome = (typeof redeliveryOutcomes)[number];

/**
 * Asks the webhooks function to attempt a message again (its redelivery command, through the outbox in
 * the caller's transaction), when its endpoint can receive it; else why not.
 */
export async function requestRedelivery(tx: AuditTx, messageId: string): Promise<RedeliveryOutcome> {
  const [row] = await tx.$queryRaw<{ merchantId: string; enabled: boolean; deleted: boolean }[]>`
    SELECT m.merchant_id::text AS "merchantId", e.enabled, e.deleted_at IS NOT NULL AS deleted
    FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id WHERE m.id = ${messageId}::uuid`;
  if (!row) return 'not-found';
  if (row.deleted) return 'endpoint-deleted';
  if (!row.enabled) return 'endpoint-disabled';
  const command = createEvent('io.knpay.webhook.redelivery.requested.v1', {
    source: '/knpay/admin',
    subject: messageId,
    data: { messageId, merchantId: row.merchantId },
  });
  await tx.$executeRaw(outboxInsert([command]));
  await tx.$executeRaw`SELECT ${wakeRelay}`;
  return 'requested';
}
