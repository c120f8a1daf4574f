import { Prisma } from '../../prisma/generated/client';

/**
 * How long an Idempotency-Key holds (the merchant API, core) before cron's expire-idempotency-keys job
 * removes it: Stripe keeps them at least 24 hours; after that a reused key is a new request.
 */
export const IDEMPOTENCY_KEY_LIFETIME = Prisma.sql`interval '24 hours'`;
