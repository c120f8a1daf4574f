import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunningBroker } from '../../local/broker';
import { kafkaClient, producerFor, startTestBroker } from './helpers';

const run = promisify(execFile);

// kcat (librdkafka) is installed by `make test` (apt-get) where missing; it speaks flexible ApiVersions v3.
if (spawnSync('kcat', ['-V']).error)
  throw new Error('kcat is not installed: run make test (it installs kcat with apt-get)');

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker({ partitions: 3 });
});
afterAll(async () => {
  await broker.close();
});

function kcat(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run('kcat', ['-b', broker.address, ...args], { timeout: 30_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
}

describe('kcat (librdkafka) against the dev broker', () => {
  it('lists metadata with -L', async () => {
    const admin = kafkaClient(broker.address).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'listed', numPartitions: 2 }] });
    await admin.disconnect();
    const { stdout } = await kcat(['-L']);
    expect(stdout).toContain(`broker 0 at ${broker.address} (controller)`);
    expect(stdout).toContain('topic "listed" with 2 partitions:');
  });

  it('produces keys and headers with -P -K -H, and consumes them with -C -o beginning -e', async () => {
    await kcat(
      ['-P', '-t', 'kc', '-K', ':', '-H', 'trace=t-1', '-H', 'source=kcat'],
      'k1:first\nk2:second\nk1:third\n',
    );
    const { stdout } = await kcat(['-C', '-t', 'kc', '-o', 'beginning', '-e', '-f', '%k|%s|%h\\n']);
    const lines = stdout.trim().split('\n').sort();
    expect(lines).toEqual([
      'k1|first|trace=t-1,source=kcat',
      'k1|third|trace=t-1,source=kcat',
      'k2|second|trace=t-1,source=kcat',
    ]);
  });

  it('produces with a fixed key (-k) and headers (-H)', async () => {
    await kcat(['-P', '-t', 'fixed', '-k', 'order-7', '-H', 'kind=test'], 'one\ntwo\n');
    const { stdout } = await kcat(['-C', '-t', 'fixed', '-o', 'beginning', '-e', '-f', '%p %k %s %h\n']);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(1).join(' ')).sort()).toEqual([
      'order-7 one kind=test',
      'order-7 two kind=test',
    ]);
    expect(new Set(lines.map((l) => l.split(' ')[0])).size).toBe(1); // one key, one partition
  });

  it('reads what kafkajs wrote, headers included', async () => {
    const producer = producerFor(kafkaClient(broker.address));
    await producer.connect();
    await producer.send({
      topic: 'mixed',
      messages: [{ key: 'js', value: 'from kafkajs', headers: { via: 'kafkajs' } }],
    });
    await producer.disconnect();
    const { stdout } = await kcat(['-C', '-t', 'mixed', '-o', 'beginning', '-e', '-f', '%k=%s %h\\n']);
    expect(stdout.trim()).toBe('js=from kafkajs via=kafkajs');
  });

  it('consumes as a balanced consumer group with -G', async () => {
    await kcat(['-P', '-t', 'grouped', '-K', ':'], 'a:1\nb:2\nc:3\nd:4\n');
    const { stdout, stderr } = await kcat(['-G', 'kcat-group', '-o', 'beginning', '-e', '-f', '%s\\n', 'grouped']);
    expect(stderr).toMatch(/Group kcat-group rebalanced .*assigned: grouped \[0\], grouped \[1\], grouped \[2\]/);
    expect(stdout.trim().split('\n').sort()).toEqual(['1', '2', '3', '4']);
    const admin = kafkaClient(broker.address).admin();
    await admin.connect();
    const groups = await admin.listGroups();
    expect(groups.groups.map((g) => g.groupId)).toContain('kcat-group');
    await admin.disconnect();
  });
});
