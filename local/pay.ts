import { parseArgs } from 'node:util';
import type { Address } from 'viem';
import { Client } from 'pg';
import { answerHelp } from '../shared/cli/help';
import { runCommand } from '../shared/cli/run';
import { devAccounts } from './chain/dev-chain';
import { chainClient, payNative, payToken } from './chain/wallet';
import { devDataDir, requireDevState, type DevState } from './dev-state';

/**
 * `make pay INVOICE=<id> [AMOUNT=<base units>] [ASSET=ETH|USDT] [FROM=<0-9>]`: pays an invoice on
 * make dev's chain from a funded dev account (hardhat's account 1 unless FROM), what is still due
 * unless AMOUNT says otherwise, in the invoice's own asset unless ASSET says otherwise (to try a payment
 * in the wrong asset). The chain mines a block every few seconds, so confirmations and settlement follow.
 */
const usage = `usage: make pay INVOICE=<invoice id> [AMOUNT=<base units>] [ASSET=ETH|USDT] [FROM=<dev account 0-9>]
  (or: npx tsx local/pay.ts --invoice <id> [--amount <n>] [--asset <symbol>] [--from <n>])`;

async function main(argv: string[]): Promise<number> {
  answerHelp(usage, argv);
  const { values } = parseArgs({
    args: argv,
    options: {
      invoice: { type: 'string' },
      amount: { type: 'string' },
      asset: { type: 'string' },
      from: { type: 'string' },
    },
  });
  if (!values.invoice) {
    console.error(usage);
    return 64;
  }
  const state = await requireDevState(devDataDir());
  const invoice = await findInvoice(state.databaseUrl, values.invoice);
  const amount = BigInt(values.amount ?? (invoice.due > 0n ? invoice.due : invoice.amount));
  const asset = assetToPay(values.asset, invoice.asset, state);
  const from = devAccounts[Number(values.from ?? '1')];
  if (!from) throw new Error('FROM is a dev account number, 0 to 9');
  const client = chainClient(state.chainRpcUrl);
  const tx =
    asset === 'native'
      ? await payNative(client, from, invoice.depositAddress, amount)
      : await payToken(client, asset, from, invoice.depositAddress, amount);
  const symbol =
    values.asset ??
    (invoice.asset === 'native'
      ? 'ETH'
      : (Object.entries(state.tokens).find(([, t]) => t.address === invoice.asset)?.[0] ?? invoice.asset));
  console.log(`paid ${String(amount)} base units of ${symbol} to ${invoice.depositAddress}`);
  console.log(`  from ${from}, transaction ${tx}`);
  console.log(`  the invoice settles after ${String(invoice.confirmations)} confirmation(s); see it with`);
  console.log(`  curl -s ${state.coreUrl}/v1/invoices/${values.invoice} -H 'Authorization: Bearer <your key>'`);
  return 0;
}

interface PayableInvoice {
  asset: string;
  depositAddress: string;
  amount: bigint;
  due: bigint;
  confirmations: number;
}

async function findInvoice(databaseUrl: string, id: string): Promise<PayableInvoice> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`${id} is not an invoice id (a UUID)`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{
      asset: string;
      deposit_address: string;
      amount: string;
      amount_paid: string;
      confirmations_required: number;
    }>(
      `SELECT asset, deposit_address, amount::text, amount_paid::text, confirmations_required
       FROM invoices WHERE id = $1::uuid`,
      [id],
    );
    const row = rows[0];
    if (!row) throw new Error(`No invoice ${id} in make dev's database`);
    return {
      asset: row.asset,
      depositAddress: row.deposit_address,
      amount: BigInt(row.amount),
      due: BigInt(row.amount) - BigInt(row.amount_paid),
      confirmations: row.confirmations_required,
    };
  } finally {
    await db.end();
  }
}

/** 'native', or the token's address: the invoice's own asset, or the one named. */
function assetToPay(named: string | undefined, invoiceAsset: string, state: DevState): 'native' | Address {
  if (named === undefined) return invoiceAsset === 'native' ? 'native' : (invoiceAsset as Address);
  if (named.toUpperCase() === 'ETH') return 'native';
  const token = state.tokens[named.toUpperCase()];
  if (!token) throw new Error(`ASSET is ETH or one of ${Object.keys(state.tokens).join(', ') || '(no tokens)'}`);
  return token.address as Address;
}

runCommand(main);
