import { z } from 'zod';
import { env } from '../config';

const tokenEntry = /^([A-Za-z0-9]{1,11})=(0x[0-9a-fA-F]{40}):(\d{1,2})$/;

/** `SYMBOL=0xContract:decimals,...`: the ERC-20 tokens invoices may be priced in on this chain. */
const tokenList = z
  .string()
  .refine((value) => value.split(',').every((entry) => tokenEntry.test(entry.trim())), {
    message: 'must be SYMBOL=0xaddress:decimals entries separated by commas',
  })
  .transform((value) =>
    value.split(',').map((entry) => {
      const [, symbol = '', address = '', decimals = '0'] = tokenEntry.exec(entry.trim()) ?? [];
      return { symbol: symbol.toUpperCase(), address: address.toLowerCase(), decimals: Number(decimals) };
    }),
  );

/** An account-level extended public key (m/44'/60'/0'): deposit addresses are its children 0/i. */
const xpub = z
  .string()
  .regex(/^xpub[1-9A-HJ-NP-Za-km-z]{100,112}$/, { message: 'must be a BIP32 extended public key (xpub...)' });

/**
 * The chain invoices are paid on, read by core (assets) and payment (RPC, tokens). One chain per
 * deployment keeps the first release simple; the chain id travels on every row and event, so a
 * second chain is configuration, not a schema change.
 */
export const chainConfigSchema = z.object({
  CHAIN_ID: env.integer(1, 2 ** 31 - 1).default(31337),
  CHAIN_RPC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8545'),
  CHAIN_NATIVE_SYMBOL: z
    .string()
    .regex(/^[A-Za-z0-9]{1,11}$/)
    .default('ETH'),
  CHAIN_TOKENS: tokenList.optional(),
});

/** What derives deposit addresses (core): the chain plus the merchant wallet's account xpub. */
export const depositConfigSchema = chainConfigSchema.extend({ DEPOSIT_XPUB: xpub });

export type ChainConfig = z.output<typeof chainConfigSchema>;
