import type { DevChain } from './chain/dev-chain';
import type { Stack } from './stack';

/** What make dev prints once everything runs: where each part is and the commands to use it. */
export function printBanner(info: {
  stack: Stack;
  chain: DevChain | undefined;
  blockMs: number;
  databaseUrl: string;
  inbox: { smtpUrl: string; webUrl: string } | undefined;
  receiverUrl: string;
}): void {
  const { platform, brokers, broker, chainRpcUrl } = info.stack;
  const line = (name: string, text: string) => {
    console.log(`  ${name.padEnd(12)}  ${text}`);
  };
  console.log('\nRunning (Ctrl-C stops everything):');
  for (const [name, service] of platform.services) {
    const reach = service.clusterLocal ? 'cluster-local: events from the platform only' : 'public';
    line(name, `${service.url}   (${reach}; starts on its first request)`);
  }
  line('kafka', `${brokers}${broker ? '   (dev broker)' : ''}`);
  line(
    'chain RPC',
    info.chain
      ? `${chainRpcUrl}   (hardhat, chain 31337, a block every ${String(info.blockMs / 1000)} s)`
      : chainRpcUrl,
  );
  if (info.chain) line('USDT', `${info.chain.token.address}   (test ERC-20, 6 decimals; every dev account holds 1M)`);
  line('SMTP', info.inbox ? `${info.inbox.smtpUrl}   (MailDev: every message kept)` : '$SMTP_URL');
  if (info.inbox) line('mail inbox', info.inbox.webUrl);
  line('webhooks in', `${info.receiverUrl}/<endpoint id>   (logs what arrives; make demo points an endpoint here)`);
  line('database', info.databaseUrl);
  const core = platform.services.get('core')?.url ?? '';
  const admin = platform.services.get('admin-api')?.url ?? '';
  console.log(`\n  merchant API  ${core}/v1/invoices   (${core}/openapi.json describes it)`);
  console.log(`  operators'    ${admin}/admin/v1/merchants   (${admin}/admin/openapi.json; a token: below)`);
  console.log('\nIn another terminal:');
  console.log('  make demo                          a merchant, an API key, an invoice, and the line that pays it');
  console.log('  make pay INVOICE=<id> [AMOUNT=<base units>] [ASSET=ETH|USDT]   pay from a funded dev account');
  console.log(`  export DATABASE_URL=${info.databaseUrl}   then: npm run merchant -- --help`);
  console.log(
    "  npm run admin -- bootstrap --name <you>   (with DATABASE_URL) the first owner token of the operators' API",
  );
  console.log('');
}
