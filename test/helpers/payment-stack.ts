import { randomUUID } from 'node:crypto';
import type { Address } from 'viem';
import { functions } from '../../functions/registry';
import { closeDb, type Db } from '../../shared/db';
import type { RunningFunction } from '../../shared/runtime';
import { startChainNode, type ChainNode } from '../../local/chain/node';
import { deployTestToken } from '../../local/chain/test-token';
import { chainClient, payers, payToken, type ChainClient } from '../../local/chain/wallet';
import { binaryRequest } from './cloudevents';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestFunction } from './function-server';
import { adminDb, api, newMerchant } from './merchant';

/**
 * The payment path on real parts: PostgreSQL, a hardhat node with a freshly deployed ERC-20, and the
 * core and payment functions on real ports. Events are delivered to the functions as the KafkaSource
 * would (binary CloudEvents over HTTP); the outbox is read straight from the database.
 */
export interface PaymentStack {
  db: TestDatabase;
  admin: Db;
  node: ChainNode;
  chain: ChainClient;
  token: Address;
  core: RunningFunction;
  payment: RunningFunction;
  apiKey: string;
  merchantId: string;
  createInvoice(body: Record<string, unknown>): Promise<{ id: string; depositAddress: string; amount: string }>;
  invoice(id: string): Promise<Record<string, unknown>>;
  /** A chain.block.seen event for the current head, as the chain source sends it. */
  deliverBlock(id?: string): Promise<number>;
  deliverTick(id?: string): Promise<number>;
  /** Delivers the outbox's invoice.settled events to core, as its KafkaSource would. */
  deliverSettlements(): Promise<void>;
  outbox(subject: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
  stop(): Promise<void>;
}

export async function startPaymentStack(env: Record<string, string> = {}): Promise<PaymentStack> {
  const db = await createTestDatabase();
  const admin = adminDb(db.url);
  const node = await startChainNode();
  const chain = chainClient(node.url);
  const token = await deployTestToken(chain, payers.deployer);
  for (const payer of [payers.alice, payers.bob])
    await payToken(chain, token, payers.deployer, payer, 1_000_000n * 10n ** 6n);
  const chainEnv = {
    CHAIN_RPC_URL: node.url,
    CHAIN_TOKENS: `TUSD=${token}:6`,
    RATES_FIXED: 'ETH/USD=3000,TUSD/USD=1',
    ...env,
  };
  const core = await startTestFunction('core', await functions.core(), db.url, chainEnv);
  const payment = await startTestFunction('payment', await functions.payment(), db.url, chainEnv);
  const { merchantId, apiKey } = await newMerchant(admin);

  const post = async (url: string, type: string, data: unknown, id?: string, source = '/test') =>
    (await fetch(url, binaryRequest({ id: id ?? randomUUID(), type, source, subject: 'eip155:31337', data }))).status;

  return {
    db,
    admin,
    node,
    chain,
    token,
    core,
    payment,
    apiKey,
    merchantId,
    createInvoice: async (body) => {
      const res = await api(core.url, apiKey, 'POST', '/v1/invoices', body);
      if (res.status !== 201) throw new Error(`invoice not created: ${String(res.status)} ${JSON.stringify(res.body)}`);
      return res.body as { id: string; depositAddress: string; amount: string };
    },
    invoice: async (id) => (await api(core.url, apiKey, 'GET', `/v1/invoices/${id}`)).body ?? {},
    deliverBlock: async (id) => {
      const block = await chain.getBlock();
      const data = {
        chainId: 31337,
        number: Number(block.number),
        hash: block.hash,
        parentHash: block.parentHash,
        timestamp: new Date(Number(block.timestamp) * 1000).toISOString(),
      };
      return post(payment.url, 'io.knpay.chain.block.seen.v1', data, id, '/knpay/chain-source');
    },
    deliverTick: (id) =>
      post(payment.url, 'io.knpay.chain.scan.requested.v1', { chainId: 31337, reason: 'schedule' }, id, '/knpay/cron'),
    deliverSettlements: async () => {
      const rows = await db.query<{ event_id: string; source: string; data: unknown }>(
        "SELECT event_id, source, data FROM outbox_events WHERE type = 'io.knpay.invoice.settled.v1' ORDER BY id",
      );
      for (const row of rows) {
        const status = await post(core.url, 'io.knpay.invoice.settled.v1', row.data, row.event_id, row.source);
        if (status !== 204) throw new Error(`core answered ${String(status)} to a settlement`);
      }
    },
    outbox: (subject) =>
      db.query<{ type: string; data: Record<string, unknown> }>(
        'SELECT type, data FROM outbox_events WHERE subject = $1 ORDER BY id',
        [subject],
      ),
    stop: async () => {
      await payment.stop();
      await core.stop();
      await node.stop();
      await closeDb(admin);
      await db.drop();
    },
  };
}
