import { lookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { addressRefusal } from '../../../shared/webhooks/address-policy';

export interface SendResult {
  /** null when no answer came: refused, reset, timed out, or an address webhooks are not sent to. */
  status: number | null;
  durationMs: number;
  error: string | null;
  /** The first 1 KiB of the answer's body. */
  body: string;
  retryAfter: string | undefined;
}

const BODY_KEPT_BYTES = 1024;
const USER_AGENT = 'knpay-webhooks/1 (+https://github.com/knpay)';

/**
 * An HTTP client for webhooks that checks the address it connects to, after DNS resolution, on the
 * socket it uses: a name that resolves to a private address is refused there, with no window for a
 * rebinding between a check and the connection.
 */
export function webhookClient(allowed: ReadonlySet<string>): Agent {
  const guardedLookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const refusals = addresses.map((a) => addressRefusal(a.address, allowed));
      const usable = addresses.filter((_a, i) => refusals[i] === null);
      if (usable.length === 0) {
        callback(new RefusedAddress(`${hostname}: ${refusals[0] ?? 'no address'}`), '', 0);
        return;
      }
      if (options.all) callback(null, usable);
      else callback(null, usable[0]?.address ?? '', usable[0]?.family ?? 4);
    });
  };
  return new Agent({ connect: { lookup: guardedLookup }, keepAliveTimeout: 10_000, connections: 8 });
}

class RefusedAddress extends Error {
  override readonly name = 'RefusedAddress';
}

/** One attempt: POST the signed body, no redirect followed, the whole answer within `timeoutMs`. */
export async function sendWebhook(
  client: Agent,
  allowed: ReadonlySet<string>,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  // A literal address is never looked up, so it is checked here.
  const refusal = isIP(host) === 0 ? null : addressRefusal(host, allowed);
  if (refusal) return { status: null, durationMs: 0, error: refusal, body: '', retryAfter: undefined };
  try {
    const answer = await request(url, {
      method: 'POST',
      dispatcher: client,
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readSome(answer.body);
    const retryAfter = answer.headers['retry-after'];
    return {
      status: answer.statusCode,
      durationMs: took(),
      error: answer.statusCode >= 300 && answer.statusCode < 400 ? 'redirects are not followed' : null,
      body: text,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
    };
  } catch (error) {
    return { status: null, durationMs: took(), error: describe(error, timeoutMs), body: '', retryAfter: undefined };
  }
}

async function readSome(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= BODY_KEPT_BYTES) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, BODY_KEPT_BYTES).toString('utf8');
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { name?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no complete answer within ${String(timeoutMs)} ms`;
  const cause = e.cause?.name === 'RefusedAddress' ? e.cause : e;
  if (cause.name === 'RefusedAddress') return cause.message ?? 'address refused';
  return [e.code, cause.message ?? e.message].filter(Boolean).join(': ') || 'the request failed';
}
