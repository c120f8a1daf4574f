import type { Socket } from 'node:net';
import { handlers } from './handlers';
import { Decoder, DecodeError } from './protocol/decoder';
import { Encoder } from './protocol/encoder';
import { errorCodes } from './protocol/errors';
import { frameResponse, readRequestHeaderRest, readRequestHeaderStart } from './protocol/header';
import { apis } from './protocol/requests';
import { apiVersions } from './protocol/requests/api-versions';
import { inRange, readMessage, writeMessage, type Message } from './protocol/schema';
import type { BrokerState } from './state';

const PRODUCE = 0;

/**
 * One client connection: buffers bytes until a whole size-prefixed frame is there (kafkajs's
 * processData, mirrored), handles requests concurrently (a fetch may wait) but writes the responses in
 * request order, as the protocol promises. Whatever a client sends, the broker does not fall over:
 * a frame it cannot read, an unknown API or an oversized length closes only this connection.
 */
export class Connection {
  // Chunks not yet framed, joined only once a whole frame is there: a large request arriving in many
  // chunks is copied once, not once per chunk.
  private chunks: Buffer[] = [];
  private buffered = 0;
  private replies: Promise<void> = Promise.resolve();
  private clientId: string | null | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly state: BrokerState,
  ) {
    socket.on('data', (chunk) => {
      this.receive(chunk);
    });
    socket.on('error', () => {
      socket.destroy();
    });
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4 && !this.socket.destroyed) {
      const size = this.peekSize();
      if (size < 0 || size > this.state.config.maxFrameBytes) {
        this.drop(`frame size ${String(size)} outside 0..${String(this.state.config.maxFrameBytes)}`);
        return;
      }
      if (this.buffered < 4 + size) return;
      const pending =
        this.chunks.length === 1 ? (this.chunks[0] ?? Buffer.alloc(0)) : Buffer.concat(this.chunks, this.buffered);
      const rest = pending.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      this.handleFrame(pending.subarray(4, 4 + size));
    }
  }

  /** The size prefix, which may straddle chunks. */
  private peekSize(): number {
    const first = this.chunks[0];
    if (first && first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, this.buffered).readInt32BE(0);
  }

  private handleFrame(frame: Buffer): void {
    try {
      const decoder = new Decoder(frame);
      const { apiKey, apiVersion, correlationId } = readRequestHeaderStart(decoder);
      const api = apis.get(apiKey);
      const handler = handlers.get(apiKey);
      if (!api || !handler) {
        this.drop(`unknown API key ${String(apiKey)}`);
        return;
      }
      if (apiVersion < api.minVersion || apiVersion > api.maxVersion) {
        if (api !== apiVersions) {
          this.drop(
            `${api.name} v${String(apiVersion)} is not supported (v${String(api.minVersion)}-${String(api.maxVersion)})`,
          );
          return;
        }
        // The protocol's own exception: an unsupported ApiVersions gets UNSUPPORTED_VERSION in a v0 body.
        const body = writeMessage(
          api.response,
          0,
          false,
          { error_code: errorCodes.UNSUPPORTED_VERSION, api_keys: listApis() },
          new Encoder(),
        );
        this.reply(Promise.resolve(frameResponse(correlationId, false, body.toBuffer())));
        return;
      }
      const flexible = inRange(api.flexible, apiVersion);
      const clientId = readRequestHeaderRest(decoder, flexible);
      if (this.clientId === undefined) {
        this.clientId = clientId;
        this.state.log.info({ clientId, remote: this.socket.remoteAddress }, 'client connected');
      }
      const request = readMessage(api.request, apiVersion, flexible, decoder);
      const response = Promise.resolve(
        handler(request, {
          state: this.state,
          version: apiVersion,
          clientId,
          clientHost: this.socket.remoteAddress ?? '',
        }),
      );
      if (apiKey === PRODUCE && request['acks'] === 0) {
        this.reply(response.then(() => null));
        return;
      }
      // ApiVersions answers with response header v0 even in flexible versions.
      const headerV1 = flexible && api !== apiVersions;
      this.reply(
        response.then((body: Message) =>
          frameResponse(
            correlationId,
            headerV1,
            writeMessage(api.response, apiVersion, flexible, body, new Encoder()).toBuffer(),
          ),
        ),
      );
    } catch (error) {
      if (error instanceof DecodeError) this.drop(`malformed request: ${error.message}`);
      else this.fail(error);
    }
  }

  private reply(response: Promise<Buffer | null>): void {
    this.replies = this.replies.then(async () => {
      try {
        const bytes = await response;
        if (bytes !== null && !this.socket.destroyed) this.socket.write(bytes);
      } catch (error) {
        this.fail(error);
      }
    });
  }

  private drop(reason: string): void {
    this.state.log.warn({ clientId: this.clientId, remote: this.socket.remoteAddress, reason }, 'closing connection');
    this.socket.destroy();
  }

  private fail(error: unknown): void {
    this.state.log.error({ err: error, clientId: this.clientId }, 'request failed; closing connection');
    this.socket.destroy();
  }
}

function listApis() {
  return [...apis.values()].map((a) => ({ api_key: a.key, min_version: a.minVersion, max_version: a.maxVersion }));
}
