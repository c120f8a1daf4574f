import { Prisma } from '../../prisma/generated/client';

/**
 * Part of the SET clause that enables an endpoint (`enabling`; false leaves these columns as they are):
 * one the platform disabled (410 Gone, failing for days) has its reason cleared and is marked awaiting
 * recovery, so the webhooks function announces `webhook.endpoint.recovered` with its next delivery.
 * The merchant API (core) and the operators' (admin) both enable endpoints; this says once what it means.
 */
export const enablingColumns = (enabling: boolean) => Prisma.sql`
  awaiting_recovery = awaiting_recovery OR (${enabling} AND disabled_reason IS NOT NULL),
  disabled_reason = CASE WHEN ${enabling} THEN NULL ELSE disabled_reason END`;
