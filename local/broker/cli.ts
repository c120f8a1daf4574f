import { parseArgs } from 'node:util';
import { startBroker } from '.';

/** `npm run kafka -- [--data-dir DIR | --memory] [--advertised-host H] [--partitions N]`, on $KAFKA_PORT (9092). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string', default: '.dev-data/kafka' },
      memory: { type: 'boolean', default: false },
      'advertised-host': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      partitions: { type: 'string', default: '3' },
      'retention-bytes': { type: 'string' },
      'retention-ms': { type: 'string' },
    },
  });
  const partitions = Number(values.partitions);
  if (!Number.isInteger(partitions) || partitions < 1)
    throw new Error('--partitions takes a whole number of at least 1');
  const broker = await startBroker({
    port: Number(process.env['KAFKA_PORT'] ?? '9092'),
    host: values.host,
    ...(values['advertised-host'] ? { advertisedHost: values['advertised-host'] } : {}),
    dataDir: values.memory ? null : values['data-dir'],
    partitions,
    retentionBytes: values['retention-bytes'] ? Number(values['retention-bytes']) : null,
    retentionMs: values['retention-ms'] ? Number(values['retention-ms']) : null,
  });
  const stop = () => {
    void broker.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
