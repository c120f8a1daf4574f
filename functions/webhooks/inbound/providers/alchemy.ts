import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { ProblemError } from '../../../../shared/errors';
import type { InboundCall, Provider } from '../provider';

/**
 * Alchemy's Address Activity webhook (docs.alchemy.com, "Notify API"): the raw body signed with the
 * webhook's signing key, `x-alchemy-signature` = hex HMAC-SHA256, and in the body an id, its creation
 * time, the network and the transfers it saw. Written by hand: Alchemy publishes no verifier package.
 */
const payload = z.object({
  id: z.string().min(1).max(200),
  createdAt: z.iso.datetime({ offset: true }),
  type: z.literal('ADDRESS_ACTIVITY'),
  event: z.object({
    network: z.string(),
    activity: z
      .array(
        z.object({
          toAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
          blockNum: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/),
        }),
      )
      .max(1000),
  }),
});

/** Alchemy's network names for the chains it serves (its dashboard's list), by EVM chain id. */
const networks: Record<string, number> = {
  ETH_MAINNET: 1,
  ETH_SEPOLIA: 11_155_111,
  MATIC_MAINNET: 137,
  ARB_MAINNET: 42_161,
  OPT_MAINNET: 10,
  BASE_MAINNET: 8_453,
  BASE_SEPOLIA: 84_532,
};

export const alchemy: Provider = {
  secretVariable: 'ALCHEMY_SIGNING_KEY',
  verify(rawBody: Buffer, headers: IncomingHttpHeaders, signingKey: string): InboundCall {
    const given = headers['x-alchemy-signature'];
    if (typeof given !== 'string' || !/^[0-9a-f]{64}$/i.test(given))
      throw new ProblemError('bad-signature', 'x-alchemy-signature is missing or not a hex HMAC-SHA256');
    const expected = createHmac('sha256', signingKey).update(rawBody).digest();
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
      throw new ProblemError('bad-signature', 'x-alchemy-signature does not match the body');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new ProblemError('bad-request', 'The body is not JSON');
    }
    const parsed = payload.safeParse(body);
    if (!parsed.success) throw new ProblemError('invalid-request', 'Not an Address Activity webhook');
    const { id, createdAt, event } = parsed.data;
    const blocks = event.activity.map((a) => Number.parseInt(a.blockNum, 16));
    return {
      id,
      sentAt: new Date(createdAt),
      chainId: networks[event.network] ?? null,
      addresses: [...new Set(event.activity.map((a) => a.toAddress.toLowerCase()))],
      blockNumber: blocks.length > 0 ? Math.max(...blocks) : undefined,
    };
  },
};
