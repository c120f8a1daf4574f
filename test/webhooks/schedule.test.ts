import { judge } from '../../functions/webhooks/delivery/outcome';
import { MAX_ATTEMPTS, nextAttemptDelayMs, retryAfterMs } from '../../functions/webhooks/delivery/schedule';
import type { SendResult } from '../../functions/webhooks/delivery/send';
import { addressRefusal, allowedRanges } from '../../shared/webhooks/address-policy';
import { newSecretKey, open, seal, secretKeyRing } from '../../shared/crypto/secret-box';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

// Standard Webhooks' example schedule: after attempt n fails, the next comes this much later (±10 %).
it.each([
  [1, 5 * S],
  [2, 5 * M],
  [3, 30 * M],
  [4, 2 * H],
  [5, 5 * H],
  [6, 10 * H],
  [7, 10 * H],
  [8, 14 * H],
  [9, 24 * H],
])('after attempt %i the next comes %i ms later, ±10 %%', (attempt, delay) => {
  expect(nextAttemptDelayMs(attempt, null, 0)).toBe(Math.round(delay * 0.9));
  expect(nextAttemptDelayMs(attempt, null, 0.5)).toBe(delay);
  expect(nextAttemptDelayMs(attempt, null, 1)).toBe(Math.round(delay * 1.1));
});

it('stops after ten attempts (~3 days), and honours a longer Retry-After, capped at a day', () => {
  expect(MAX_ATTEMPTS).toBe(10);
  expect(nextAttemptDelayMs(10, null, 0.5)).toBeNull();
  expect(nextAttemptDelayMs(1, 60 * S, 0.5)).toBe(60 * S);
  expect(nextAttemptDelayMs(3, 60 * S, 0.5)).toBe(30 * M);
  expect(nextAttemptDelayMs(1, 7 * 24 * H, 0.5)).toBe(24 * H);
  const now = new Date('2026-12-03T10:00:00Z');
  expect(retryAfterMs('120', now)).toBe(120 * S);
  expect(retryAfterMs('Thu, 03 Dec 2026 10:01:00 GMT', now)).toBe(60 * S);
  expect(retryAfterMs('soon', now)).toBeNull();
});

const result = (status: number | null, retryAfter?: string): SendResult => ({
  status,
  durationMs: 1,
  error: null,
  body: '',
  retryAfter,
});
it.each([
  [result(200), 1, 'delivered'],
  [result(204), 1, 'delivered'],
  [result(301), 1, 'retry'],
  [result(410), 1, 'gone'],
  [result(500), 1, 'retry'],
  [result(null), 1, 'retry'],
  [result(404), 10, 'exhausted'],
])('an attempt answered %j (attempt %i) means %s', (sent, attempt, kind) => {
  expect(judge(sent, attempt, new Date(), 0.5).kind).toBe(kind);
});

it('takes Retry-After only from 429 and 503', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  const at = (sent: SendResult) => {
    const outcome = judge(sent, 1, now, 0.5);
    return outcome.kind === 'retry' ? outcome.at.getTime() - now.getTime() : null;
  };
  expect(at(result(429, '600'))).toBe(600 * S);
  expect(at(result(503, '600'))).toBe(600 * S);
  expect(at(result(500, '600'))).toBe(5 * S);
});

it.each([
  ['8.8.8.8', null],
  ['2606:4700::1', null],
  ['127.0.0.1', 'loopback'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['10.0.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['172.16.0.1', 'private'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['64:ff9b::a00:1', 'private'],
  ['64:ff9b::808:808', null],
  ['fe80::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['0.0.0.0', 'unspecified'],
  ['224.0.0.1', 'multicast'],
])('%s: %s', (address, range) => {
  const refusal = addressRefusal(address, new Set());
  if (range === null) expect(refusal).toBeNull();
  else expect(refusal).toContain(`in a ${range} range`);
});

it('lets through only the ranges WEBHOOK_ALLOW_PRIVATE names', () => {
  expect(addressRefusal('127.0.0.1', allowedRanges('loopback'))).toBeNull();
  expect(addressRefusal('10.0.0.1', allowedRanges('loopback'))).not.toBeNull();
  expect(addressRefusal('10.0.0.1', allowedRanges('loopback, private'))).toBeNull();
});

it('seals with the first key, opens with any key of the ring, and refuses a tampered ciphertext', () => {
  const oldKey = newSecretKey('old');
  const sealed = seal(secretKeyRing.parse(oldKey), 'whsec_abc');
  const rotated = secretKeyRing.parse(`${newSecretKey('new')},${oldKey}`);
  expect(open(rotated, sealed)).toBe('whsec_abc');
  expect(seal(rotated, 'x').keyId).toBe('new');
  const raw = Buffer.from(sealed.ciphertext, 'base64');
  raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
  expect(() => open(rotated, { ...sealed, ciphertext: raw.toString('base64') })).toThrow();
  expect(() => open(secretKeyRing.parse(newSecretKey('other')), sealed)).toThrow(/No secret key old/);
  expect(secretKeyRing.safeParse('k1:short').success).toBe(false);
});
