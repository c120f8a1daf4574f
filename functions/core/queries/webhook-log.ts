import { Prisma } from '../../../prisma/generated/client';
import { olderThan } from './page';
import type { WebhookAttempt, WebhookMessage } from '../../../prisma/generated/client';
import { outboxInsert, wakeRelay, type Db } from '../../../shared/db';
import type { DomainEvent } from '../../../shared/events';

/** The delivery log core shows merchants; the webhooks function writes it. Scoped by merchant always. */
export function listMessages(
  db: Db,
  filter: {
    merchantId: string;
    endpointId: string;
    status?: WebhookMessage['status'] | undefined;
    eventType?: string | undefined;
    after?: { createdAt: Date; id: string } | undefined;
    limit: number;
  },
): Promise<WebhookMessage[]> {
  const { after } = filter;
  return db.webhookMessage.findMany({
    where: {
      merchantId: filter.merchantId,
      endpointId: filter.endpointId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.eventType ? { eventType: filter.eventType } : {}),
      ...olderThan(after),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit,
  });
}

/** Null when the message is not this merchant's. */
export async function listAttempts(db: Db, merchantId: string, messageId: string): Promise<WebhookAttempt[] | null> {
  const message = await db.webhookMessage.findFirst({ where: { id: messageId, merchantId }, select: { id: true } });
  if (!message) return null;
  return db.webhookAttempt.findMany({ where: { messageId }, orderBy: { id: 'asc' } });
}

/**
 * Sends a command to the webhooks function through the outbox, in one statement with the check that
 * what it names is the merchant's (`owned`, a query returning a row when it is). False when not.
 */
export async function sendCommand(db: Db, command: DomainEvent, owned: Prisma.Sql): Promise<boolean> {
  const [row] = await db.$queryRaw<{ found: boolean }[]>`
    WITH owned AS (${owned}),
    outbox AS (${outboxInsert([command], Prisma.sql`EXISTS (SELECT FROM owned)`)})
    SELECT EXISTS (SELECT FROM owned) AS found, ${wakeRelay}::text AS woken`;
  return row?.found ?? false;
}

export const ownedMessage = (merchantId: string, messageId: string) => Prisma.sql`
  SELECT 1 FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
  WHERE m.id = ${messageId}::uuid AND m.merchant_id = ${merchantId}::uuid AND e.deleted_at IS NULL`;

export const ownedEndpoint = (merchantId: string, endpointId: string) => Prisma.sql`
  SELECT 1 FROM webhook_endpoints
  WHERE id = ${endpointId}::uuid AND merchant_id = ${merchantId}::uuid AND deleted_at IS NULL`;
