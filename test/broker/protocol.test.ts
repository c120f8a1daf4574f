import { connect } from 'node:net';
import crc32c from 'crc-32/crc32c';
import type { RunningBroker } from '../../local/broker';
import { Group } from '../../local/broker/groups/group';
import { PartitionLog } from '../../local/broker/log/partition-log';
import { Decoder } from '../../local/broker/protocol/decoder';
import { Encoder } from '../../local/broker/protocol/encoder';
import { errorCodes } from '../../local/broker/protocol/errors';
import { readRequestHeaderRest, readRequestHeaderStart } from '../../local/broker/protocol/header';
import { apiVersions } from '../../local/broker/protocol/requests/api-versions';
import kafkajsV2 from '../../local/broker/protocol/requests/api-versions/fixtures/v2_request_kafkajs.json';
import kcatV3 from '../../local/broker/protocol/requests/api-versions/fixtures/v3_request_kcat.json';
import { fetch as fetchApi } from '../../local/broker/protocol/requests/fetch';
import { metadata } from '../../local/broker/protocol/requests/metadata';
import { readMessage, writeMessage, type Field } from '../../local/broker/protocol/schema';
import { readBatches } from '../../local/broker/record-batch';
import { kafkaClient, producerFor, quietLogger, startTestBroker, tempDir } from './helpers';

describe('codec primitives', () => {
  it('round-trips varints, varlongs and compact and nullable types', () => {
    const e = new Encoder(1);
    for (const v of [0, 1, -1, 63, -64, 300, 2 ** 31 - 1, -(2 ** 31)]) e.varint(v);
    for (const v of [0n, -1n, 2n ** 62n, -(2n ** 63n)]) e.varlong(v);
    e.compactString('héllo')
      .compactString(null)
      .string(null)
      .string('')
      .compactBytes(Buffer.from([1, 2]))
      .compactBytes(null);
    const d = new Decoder(e.toBuffer());
    expect([0, 1, -1, 63, -64, 300, 2 ** 31 - 1, -(2 ** 31)].map(() => d.varint())).toEqual([
      0,
      1,
      -1,
      63,
      -64,
      300,
      2 ** 31 - 1,
      -(2 ** 31),
    ]);
    expect([0, 1, 2, 3].map(() => d.varlong())).toEqual([0n, -1n, 2n ** 62n, -(2n ** 63n)]);
    expect([d.compactString(), d.compactString(), d.string(), d.string()]).toEqual(['héllo', null, null, '']);
    expect([d.compactBytes(), d.compactBytes()]).toEqual([Buffer.from([1, 2]), null]);
    expect(d.remaining).toBe(0);
  });

  it('keeps a null array apart from an empty one', () => {
    const fields: Field[] = [{ name: 'topics', type: 'string', array: true, versions: '0+', nullable: '0+' }];
    for (const [flexible, topics] of [
      [false, null],
      [false, []],
      [true, null],
      [true, []],
    ] as const) {
      const bytes = writeMessage(fields, 1, flexible, { topics }, new Encoder()).toBuffer();
      expect(readMessage(fields, 1, flexible, new Decoder(bytes))).toEqual({ topics });
    }
  });

  it('computes CRC-32C like Kafka (check vectors)', () => {
    expect(crc32c.str('123456789') >>> 0).toBe(0xe3069283);
    expect(crc32c.buf(Buffer.alloc(0)) >>> 0).toBe(0);
    expect(crc32c.buf(Buffer.from([0])) >>> 0).toBe(0x527d5351);
  });
});

describe('golden bytes captured from real clients', () => {
  it("decodes kcat's flexible ApiVersions v3 request (request header v2, compact strings)", () => {
    const d = new Decoder(Buffer.from(kcatV3).subarray(4));
    expect(readRequestHeaderStart(d)).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1 });
    expect(readRequestHeaderRest(d, true)).toBe('rdkafka');
    expect(readMessage(apiVersions.request, 3, true, d)).toEqual({
      client_software_name: 'librdkafka',
      client_software_version: '2.0.2',
    });
    expect(d.remaining).toBe(0);
  });

  it("decodes kafkajs's ApiVersions v2 request (request header v1)", () => {
    const d = new Decoder(Buffer.from(kafkajsV2).subarray(4));
    expect(readRequestHeaderStart(d)).toEqual({ apiKey: 18, apiVersion: 2, correlationId: 0 });
    expect(readRequestHeaderRest(d, false)).toBe('golden');
    expect(readMessage(apiVersions.request, 2, false, d)).toEqual({});
    expect(d.remaining).toBe(0);
  });

  it('re-encodes the kcat request to the same bytes', () => {
    const body = writeMessage(
      apiVersions.request,
      3,
      true,
      { client_software_name: 'librdkafka', client_software_version: '2.0.2' },
      new Encoder(),
    );
    const payload = new Encoder()
      .int16(18)
      .int16(3)
      .int32(1)
      .string('rdkafka')
      .unsignedVarint(0)
      .raw(body.toBuffer())
      .toBuffer();
    expect(new Encoder().int32(payload.length).raw(payload).toBuffer()).toEqual(Buffer.from(kcatV3));
  });
});

describe('over a socket', () => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await startTestBroker({ partitions: 2 });
  });
  afterAll(async () => {
    await broker.close();
  });

  function call(apiKey: number, version: number, flexible: boolean, body: Buffer): Promise<Decoder> {
    return new Promise((resolve, reject) => {
      const header = new Encoder().int16(apiKey).int16(version).int32(77).string('protocol-test');
      if (flexible) header.unsignedVarint(0);
      const payload = Buffer.concat([header.toBuffer(), body]);
      const socket = connect(broker.port, '127.0.0.1', () =>
        socket.write(new Encoder().int32(payload.length).raw(payload).toBuffer()),
      );
      let data = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        if (data.length >= 4 && data.length >= 4 + data.readInt32BE(0)) {
          socket.destroy();
          const d = new Decoder(data.subarray(4));
          expect(d.int32()).toBe(77);
          resolve(d);
        }
      });
      socket.on('error', reject);
    });
  }

  it('answers flexible Metadata v9 with response header v1 and compact types; null topics mean all', async () => {
    const producer = producerFor(kafkaClient(broker.address));
    await producer.connect();
    await producer.send({ topic: 'listed-by-v9', messages: [{ value: 'x' }] });
    await producer.disconnect();
    const request = writeMessage(
      metadata.request,
      9,
      true,
      { topics: null, allow_auto_topic_creation: false },
      new Encoder(),
    ).toBuffer();
    const d = await call(3, 9, true, request);
    d.skipTaggedFields(); // response header v1
    const response = readMessage(metadata.response, 9, true, d) as {
      topics: { name: string; partitions: unknown[] }[];
    };
    expect(d.remaining).toBe(0);
    expect(response.topics.map((t) => t.name)).toContain('listed-by-v9');
    expect(response.topics.find((t) => t.name === 'listed-by-v9')?.partitions).toHaveLength(2);
  });

  it('answers an empty topic list (v1+) with no topics', async () => {
    const d = await call(
      3,
      1,
      false,
      writeMessage(metadata.request, 1, false, { topics: [] }, new Encoder()).toBuffer(),
    );
    expect((readMessage(metadata.response, 1, false, d) as { topics: unknown[] }).topics).toEqual([]);
  });

  it('answers a fetch past the end of the log with OFFSET_OUT_OF_RANGE', async () => {
    const request = {
      replica_id: -1,
      max_wait_ms: 0,
      min_bytes: 1,
      max_bytes: 1 << 20,
      topics: [
        { topic: 'listed-by-v9', partitions: [{ partition: 0, fetch_offset: 999n, partition_max_bytes: 1 << 20 }] },
      ],
    };
    const d = await call(1, 4, false, writeMessage(fetchApi.request, 4, false, request, new Encoder()).toBuffer());
    const response = readMessage(fetchApi.response, 4, false, d) as {
      responses: { partitions: { error_code: number }[] }[];
    };
    expect(response.responses[0]?.partitions[0]?.error_code).toBe(errorCodes.OFFSET_OUT_OF_RANGE);
  });
});

describe('group membership checks', () => {
  const join = (group: Group, memberId = '') =>
    group.join({
      memberId,
      clientId: 'c',
      clientHost: 'h',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 1_000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });

  it("answers stale members and generations with the protocol's errors", async () => {
    const group = new Group('checks', quietLogger);
    const first = await join(group);
    expect(first.errorCode).toBe(0);
    expect(group.heartbeat('nobody', first.generationId)).toBe(errorCodes.UNKNOWN_MEMBER_ID);
    expect(group.heartbeat(first.memberId, first.generationId + 5)).toBe(errorCodes.ILLEGAL_GENERATION);
    expect((await group.sync(first.memberId, first.generationId - 1, [])).errorCode).toBe(
      errorCodes.ILLEGAL_GENERATION,
    );
    expect(
      (
        await group.sync(first.memberId, first.generationId, [
          { memberId: first.memberId, assignment: Buffer.from('a') },
        ])
      ).errorCode,
    ).toBe(0);

    const second = join(group); // a newcomer starts a rebalance: the first member must rejoin
    expect(group.heartbeat(first.memberId, first.generationId)).toBe(errorCodes.REBALANCE_IN_PROGRESS);
    expect(group.checkCommit(first.memberId, first.generationId)).toBe(errorCodes.REBALANCE_IN_PROGRESS);
    const rejoined = await join(group, first.memberId);
    const newcomer = await second;
    expect(rejoined.generationId).toBe(first.generationId + 1);
    expect(newcomer.generationId).toBe(rejoined.generationId);
    expect(rejoined.members).toHaveLength(2); // the leader gets everyone's metadata
    expect(newcomer.members).toHaveLength(0);
    expect(group.heartbeat(first.memberId, first.generationId)).toBe(errorCodes.ILLEGAL_GENERATION);
    expect((await join(group, 'made-up')).errorCode).toBe(errorCodes.UNKNOWN_MEMBER_ID);
    group.close();
  });
});

describe('retention (off by default)', () => {
  it('drops whole old segments past the size limit and moves the log start', async () => {
    const dir = await tempDir('retention');
    const broker = await startTestBroker({ partitions: 1, dataDir: dir, segmentBytes: 4096, retentionBytes: 8192 });
    const producer = producerFor(kafkaClient(broker.address));
    await producer.connect();
    for (let i = 0; i < 20; i++)
      await producer.send({ topic: 'short-lived', messages: [{ value: Buffer.alloc(1000, i) }] });
    await producer.disconnect();
    const admin = kafkaClient(broker.address).admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets('short-lived');
    await admin.disconnect();
    await broker.close();
    expect(offsets?.high).toBe('20');
    expect(Number(offsets?.low)).toBeGreaterThan(0);

    const log = new PartitionLog({
      dir: `${dir}/short-lived-0`,
      segmentBytes: 4096,
      retentionBytes: 8192,
      retentionMs: null,
    });
    expect(log.logStartOffset).toBe(BigInt(offsets?.low ?? '0'));
    expect(readBatches(log.read(log.logStartOffset, 1 << 20)).length).toBeGreaterThan(0);
    log.close();
  });
});
