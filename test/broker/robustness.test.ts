import { connect, type Socket } from 'node:net';
import crc32c from 'crc-32/crc32c';
import type { RunningBroker } from '../../local/broker';
import { Decoder } from '../../local/broker/protocol/decoder';
import { Encoder } from '../../local/broker/protocol/encoder';
import { errorCodes } from '../../local/broker/protocol/errors';
import { apiVersions } from '../../local/broker/protocol/requests/api-versions';
import { produce } from '../../local/broker/protocol/requests/produce';
import { readMessage, writeMessage } from '../../local/broker/protocol/schema';
import { kafkaClient, producerFor, startTestBroker } from './helpers';

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker({ maxFrameBytes: 1024 * 1024 });
});
afterAll(async () => {
  await broker.close();
});

/** Sends raw bytes; resolves with what came back before the broker closed the socket (or after waitMs). */
function exchange(bytes: Buffer[], { hangUp = false, waitMs = 500 } = {}): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(broker.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
    });
    socket.on('connect', () => {
      for (const b of bytes) socket.write(b);
      if (hangUp) socket.end();
    });
    setTimeout(() => {
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    }, waitMs);
  });
}

function frame(apiKey: number, version: number, body: Buffer, correlationId = 7): Buffer {
  const payload = new Encoder()
    .int16(apiKey)
    .int16(version)
    .int32(correlationId)
    .string('robustness')
    .raw(body)
    .toBuffer();
  return new Encoder().int32(payload.length).raw(payload).toBuffer();
}

async function stillServes(): Promise<void> {
  const producer = producerFor(kafkaClient(broker.address, 'bystander'));
  await producer.connect();
  const [result] = await producer.send({ topic: 'alive', acks: -1, messages: [{ value: 'ok' }] });
  expect(result?.errorCode).toBe(0);
  await producer.disconnect();
}

describe('the broker survives whatever a client sends', () => {
  it('waits for the rest of a truncated frame, and forgets it when the client hangs up', async () => {
    const { data } = await exchange([new Encoder().int32(100).toBuffer(), Buffer.from('short')], { hangUp: true });
    expect(data.length).toBe(0);
    await stillServes();
  });

  it.each([
    ['garbage', [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]],
    ['a negative size', [new Encoder().int32(-5).raw(Buffer.alloc(8)).toBuffer()]],
    ['a huge length prefix', [new Encoder().int32(0x7fffffff).toBuffer()]],
    [
      'a frame too short for a header',
      [
        new Encoder()
          .int32(3)
          .raw(Buffer.from([0, 18, 0]))
          .toBuffer(),
      ],
    ],
    ['an unknown API key', [frame(999, 0, Buffer.alloc(0))]],
    ['an unsupported version of Produce', [frame(0, 99, Buffer.alloc(0))]],
    ['a body that lies about its array length', [frame(3, 1, new Encoder().int32(1_000_000).toBuffer())]],
  ])('%s: the connection is closed, the broker stays up', async (_name, bytes) => {
    const { closed } = await exchange(bytes);
    expect(closed).toBe(true);
    await stillServes();
  });

  it('answers an unsupported ApiVersions version with UNSUPPORTED_VERSION in a v0 body', async () => {
    const { data } = await exchange([frame(18, 99, Buffer.alloc(0), 42)]);
    const decoder = new Decoder(data);
    expect(decoder.int32()).toBe(data.length - 4);
    expect(decoder.int32()).toBe(42);
    const body = readMessage(apiVersions.response, 0, false, decoder);
    expect(body['error_code']).toBe(errorCodes.UNSUPPORTED_VERSION);
    expect((body['api_keys'] as unknown[]).length).toBeGreaterThan(10);
  });

  it('answers ApiVersions v3 (flexible) with header v0 and compact arrays', async () => {
    const request = writeMessage(
      apiVersions.request,
      3,
      true,
      { client_software_name: 'test', client_software_version: '1' },
      new Encoder(),
    );
    const payload = new Encoder()
      .int16(18)
      .int16(3)
      .int32(9)
      .string('flex')
      .unsignedVarint(0)
      .raw(request.toBuffer())
      .toBuffer();
    const { data } = await exchange([new Encoder().int32(payload.length).raw(payload).toBuffer()]);
    const decoder = new Decoder(data);
    decoder.int32();
    expect(decoder.int32()).toBe(9);
    const body = readMessage(apiVersions.response, 3, true, decoder);
    expect(body['error_code']).toBe(0);
    expect(decoder.remaining).toBe(0);
  });

  it.each([
    ['a corrupt CRC', 2, errorCodes.CORRUPT_MESSAGE],
    ['snappy compression', 3, errorCodes.UNSUPPORTED_COMPRESSION_TYPE],
  ])('refuses a record batch with %s', async (_name, mutation, expected) => {
    const batch = sampleBatch();
    if (mutation === 2) batch.writeUInt8(batch.readUInt8(batch.length - 1) ^ 0xff, batch.length - 1);
    else {
      batch.writeInt16BE(2, 21); // snappy
      batch.writeUInt32BE(crc32c.buf(batch.subarray(21)) >>> 0, 17);
    }
    const body = writeMessage(
      produce.request,
      3,
      false,
      {
        transactional_id: null,
        acks: -1,
        timeout_ms: 1000,
        topic_data: [{ name: 'refused', partition_data: [{ index: 0, records: batch }] }],
      },
      new Encoder(),
    );
    const { data } = await exchange([frame(0, 3, body.toBuffer())]);
    const decoder = new Decoder(data);
    decoder.int32();
    decoder.int32();
    const response = readMessage(produce.response, 3, false, decoder) as {
      responses: { partition_responses: { error_code: number }[] }[];
    };
    expect(response.responses[0]?.partition_responses[0]?.error_code).toBe(expected);
    await stillServes();
  });
});

/** A one-record batch v2 with no compression (CRC valid). */
function sampleBatch(): Buffer {
  const record = new Encoder()
    .int8(0)
    .varlong(0n)
    .varint(0)
    .varint(-1)
    .varint(2)
    .raw(Buffer.from('hi'))
    .varint(0)
    .toBuffer();
  const records = new Encoder().varint(record.length).raw(record).toBuffer();
  const afterCrc = new Encoder()
    .int16(0)
    .int32(0)
    .int64(1000n)
    .int64(1000n)
    .int64(-1n)
    .int16(-1)
    .int32(-1)
    .int32(1)
    .raw(records)
    .toBuffer();
  const head = new Encoder()
    .int64(0n)
    .int32(4 + 1 + 4 + afterCrc.length)
    .int32(0)
    .int8(2)
    .uint32(0)
    .toBuffer();
  const batch = Buffer.concat([head, afterCrc]);
  batch.writeUInt32BE(crc32c.buf(batch.subarray(21)) >>> 0, 17);
  return batch;
}
