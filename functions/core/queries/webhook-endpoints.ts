import type { WebhookEndpoint } from '../../../prisma/generated/client';
import type { SealedSecret } from '../../../shared/crypto/secret-box';
import type { Db } from '../../../shared/db';
import { enablingColumns } from '../../../shared/webhooks/enabling';

/** A merchant's endpoints, deleted ones left out; every query is scoped by the merchant. */
const live = (merchantId: string) => ({ merchantId, deletedAt: null });

export function insertEndpoint(
  db: Db,
  endpoint: {
    id: string;
    merchantId: string;
    url: string;
    description: string;
    eventTypes: string[];
    enabled: boolean;
  },
  secret: SealedSecret,
): Promise<WebhookEndpoint> {
  return db.webhookEndpoint.create({
    data: { ...endpoint, secretKeyId: secret.keyId, secretCiphertext: secret.ciphertext },
  });
}

export function findEndpoint(db: Db, merchantId: string, id: string): Promise<WebhookEndpoint | null> {
  return db.webhookEndpoint.findFirst({ where: { id, ...live(merchantId) } });
}

export function listEndpoints(db: Db, merchantId: string): Promise<WebhookEndpoint[]> {
  return db.webhookEndpoint.findMany({ where: live(merchantId), orderBy: { createdAt: 'asc' }, take: 100 });
}

/**
 * Null when there is no such endpoint of this merchant. Enabling one the platform disabled clears its
 * reason and marks it awaiting recovery (its next delivery announces it).
 */
export async function updateEndpoint(
  db: Db,
  merchantId: string,
  id: string,
  change: {
    url?: string | undefined;
    description?: string | undefined;
    eventTypes?: string[] | undefined;
    enabled?: boolean | undefined;
  },
): Promise<WebhookEndpoint | null> {
  const [updated] = await db.$queryRaw<{ id: string }[]>`
    UPDATE webhook_endpoints SET
      url = COALESCE(${change.url ?? null}, url),
      description = COALESCE(${change.description ?? null}, description),
      event_types = COALESCE(${change.eventTypes ?? null}::text[], event_types),
      enabled = COALESCE(${change.enabled ?? null}::boolean, enabled),
      ${enablingColumns(change.enabled === true)},
      updated_at = now()
    WHERE id = ${id}::uuid AND merchant_id = ${merchantId}::uuid AND deleted_at IS NULL
    RETURNING id::text`;
  return updated ? findEndpoint(db, merchantId, id) : null;
}

/** Kept for the delivery log, never sent to again. */
export async function deleteEndpoint(db: Db, merchantId: string, id: string): Promise<boolean> {
  const { count } = await db.webhookEndpoint.updateMany({
    where: { id, ...live(merchantId) },
    data: { deletedAt: new Date(), enabled: false },
  });
  return count === 1;
}

/** The new secret signs from now; the current one becomes the previous, signing too until `until`. */
export async function rotateSecret(
  db: Db,
  merchantId: string,
  id: string,
  secret: SealedSecret,
  until: Date,
): Promise<WebhookEndpoint | null> {
  const [updated] = await db.$queryRaw<{ id: string }[]>`
    UPDATE webhook_endpoints
    SET previous_secret_key_id = secret_key_id, previous_secret_ciphertext = secret_ciphertext,
        previous_secret_until = ${until}, secret_key_id = ${secret.keyId},
        secret_ciphertext = ${secret.ciphertext}, updated_at = now()
    WHERE id = ${id}::uuid AND merchant_id = ${merchantId}::uuid AND deleted_at IS NULL
    RETURNING id::text`;
  return updated ? findEndpoint(db, merchantId, id) : null;
}
