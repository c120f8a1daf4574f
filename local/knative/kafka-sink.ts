import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP } from 'cloudevents';
import type { Producer } from 'kafkajs';
import { toKafkaMessage } from '../../shared/kafka/binding';
import type { Logger } from 'pino';

/**
 * A KafkaSink: an HTTP ingress that writes each CloudEvent it receives to its topic, in the Kafka
 * binding's binary mode (shared/kafka/binding.ts), keyed by the `partitionkey` extension or else the
 * subject. 202 when written; 400 for a request that is not a CloudEvent.
 */
export class KafkaSinkEmulator {
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly name: string,
    private readonly topic: string,
    private readonly producer: Producer,
    private readonly log: Logger,
  ) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.write(req.headers as Record<string, string>, Buffer.concat(chunks)).then(
          () => {
            res.writeHead(202).end();
          },
          (error: unknown) => {
            this.log.warn(
              { sink: this.name, err: { message: (error as Error).message } },
              'kafka sink refused an event',
            );
            res.writeHead(400).end();
          },
        );
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async write(headers: Record<string, string>, body: Buffer): Promise<void> {
    const parsed = HTTP.toEvent({ headers, body: body.toString('utf8') });
    const event = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!event) throw new Error('no event');
    const attributes: Record<string, string> = {};
    let data: string | null = null;
    for (const [name, value] of Object.entries(event)) {
      if (value === undefined || value === null || name === 'data_base64') continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (name === 'data') data = text;
      else attributes[name] = text;
    }
    const key = attributes['partitionkey'] ?? attributes['subject'] ?? null;
    await this.producer.send({ topic: this.topic, acks: -1, messages: [toKafkaMessage({ attributes, data, key })] });
  }
}
