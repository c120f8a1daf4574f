import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Consumer } from 'kafkajs';
import type { RunningBroker } from '../../local/broker';
import { ROOT } from '../helpers/process';
import { eventually, kafkaClient, producerFor, startTestBroker } from './helpers';

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker({ partitions: 6 });
});
afterAll(async () => {
  await broker.close();
});

interface Handling {
  member: string;
  partition: number;
  offset: string;
}

describe('a consumer group of three members', () => {
  it('rebalances as members join, leave and die, losing no record and never sharing one between live members', async () => {
    const topic = 'members';
    const group = 'three';
    const kafka = kafkaClient(broker.address);
    const handled: Handling[] = [];
    const joins: Record<string, number> = {};
    const member = async (name: string): Promise<Consumer> => {
      const consumer = kafka.consumer({
        groupId: group,
        sessionTimeout: 4000,
        heartbeatInterval: 300,
        rebalanceTimeout: 4000,
        maxWaitTimeInMs: 500,
      });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joins[name] = (joins[name] ?? 0) + 1;
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommitThreshold: 1,
        eachMessage: ({ partition, message }) => {
          handled.push({ member: name, partition, offset: message.offset });
          return Promise.resolve();
        },
      });
      return consumer;
    };
    const producer = producerFor(kafka);
    await producer.connect();
    let produced = 0;
    const produceSome = async (count: number) => {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({
          key: `k${String(produced + i)}`,
          value: String(produced + i),
        })),
      });
      produced += count;
    };
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });

    const a = await member('a');
    await produceSome(60);
    await eventually(
      () => handled.length,
      (n) => n >= 60,
    );
    const b = await member('b');
    const c = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(ROOT, 'test/fixtures/kafka-member.ts'), broker.address, topic, group],
      {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let cJoined = false;
    createInterface({ input: c.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { joined?: boolean; partition?: number; offset?: string };
      if (entry.joined) cJoined = true;
      else handled.push({ member: 'c', partition: entry.partition ?? -1, offset: entry.offset ?? '' });
    });
    await eventually(() => cJoined && (joins['b'] ?? 0) > 0, Boolean);
    const described = await eventually(
      () => admin.describeGroups([group]),
      (d) => d.groups[0]?.state === 'Stable' && d.groups[0].members.length === 3,
    );
    expect(described.groups[0]?.members).toHaveLength(3);

    await produceSome(60);
    await eventually(
      () => new Set(handled.map((h) => `${String(h.partition)}:${h.offset}`)).size,
      (n) => n >= 120,
    );
    expect(new Set(handled.filter((h) => Number(h.offset) >= 0).map((h) => h.member)).size).toBeGreaterThanOrEqual(2);

    await b.disconnect(); // leaves the group: a rebalance
    c.kill('SIGKILL'); // dies without a word: its session times out, then a rebalance
    await eventually(
      () => admin.describeGroups([group]),
      (d) => d.groups[0]?.state === 'Stable' && d.groups[0].members.length === 1,
      30_000,
    );

    await produceSome(60);
    await eventually(
      () => new Set(handled.map((h) => `${String(h.partition)}:${h.offset}`)).size,
      (n) => n >= 180,
      30_000,
    );

    // No loss: every produced record was handled.
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    expect(total).toBe(180);
    expect(new Set(handled.map((h) => `${String(h.partition)}:${h.offset}`)).size).toBe(180);
    // A record handled twice was first handled by the member that was killed, or by the same member
    // again after a rebalance came before its commit (at least once): never by two live members.
    const first = new Map<string, string>();
    for (const h of handled) {
      const id = `${String(h.partition)}:${h.offset}`;
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, h.member);
      else
        expect({ id, first: earlier, again: h.member, allowed: earlier === 'c' || earlier === h.member }).toMatchObject(
          { allowed: true },
        );
    }
    await a.disconnect();
    await producer.disconnect();
    await admin.disconnect();
  }, 90_000);
});
