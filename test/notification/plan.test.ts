import { judge, RETRY_AFTER_MS } from '../../functions/notification/sending/outcome';
import { noticeKinds, planNotices } from '../../functions/notification/notices/plan';
import { defaultSettings } from '../../shared/notifications/settings';

// The pure rules: which event makes which notice, who gets it, and what a send's result means.
describe('which notices an event makes', () => {
  it.each([
    ['io.knpay.invoice.settled.v1', { additionalStatus: 'None' }, 'invoice.settled', 'buyer.receipt'],
    ['io.knpay.invoice.settled.v1', { additionalStatus: 'PaidOver' }, 'invoice.settled', 'buyer.receipt'],
    ['io.knpay.invoice.settled.v1', { additionalStatus: 'Marked' }, 'invoice.marked', 'buyer.receipt'],
    ['io.knpay.invoice.paid-partial.v1', {}, 'invoice.paid-partial', 'buyer.paid-partial'],
    ['io.knpay.invoice.paid-late.v1', {}, 'invoice.paid-late', null],
    ['io.knpay.invoice.expired.v1', { partiallyPaid: true }, 'invoice.expired-partial', null],
    ['io.knpay.invoice.expired.v1', { partiallyPaid: false }, null, null],
    ['io.knpay.invoice.invalid.v1', { reason: 'not-confirmed-in-time' }, 'invoice.invalid', null],
    ['io.knpay.invoice.invalid.v1', { reason: 'marked' }, 'invoice.marked', null],
    ['io.knpay.webhook.endpoint.disabled.v1', {}, 'webhook.endpoint.disabled', null],
    ['io.knpay.webhook.endpoint.recovered.v1', {}, 'webhook.endpoint.recovered', null],
    ['io.knpay.invoice.created.v1', {}, null, null],
    ['io.knpay.invoice.processing.v1', {}, null, null],
  ])('%s %j → merchant %s, buyer %s', (type, data, merchant, buyer) => {
    expect(noticeKinds(type, data)).toEqual({ merchant, buyer });
  });
});

describe('who gets a notice', () => {
  const settings = {
    ...defaultSettings('a@example.test'),
    emails: ['a@example.test', 'A@example.test', 'b@example.test'],
  };
  const both = { merchant: 'invoice.settled', buyer: 'buyer.receipt' } as const;
  it.each([
    [
      'every merchant address once; no buyer mail by default',
      settings,
      { buyerEmail: 'c@example.test' },
      ['merchant a@example.test', 'merchant b@example.test'],
    ],
    [
      'the buyer too when allowed',
      { ...settings, emails: [], buyerReceipts: true },
      { buyerEmail: 'C@example.test' },
      ['buyer c@example.test'],
    ],
    ['no buyer without an address', { ...settings, emails: [], buyerReceipts: true }, {}, []],
    ['nobody for a notice switched off', { ...settings, notices: [], buyerReceipts: false }, {}, []],
  ])('%s', (_what, s, metadata, expected) => {
    expect(planNotices(both, s, metadata).map((n) => `${n.audience} ${n.recipient}`)).toEqual(expected);
  });
});

describe("what a send's result means", () => {
  const now = new Date('2026-12-03T00:00:00Z');
  const after = (ms: number) => new Date(now.getTime() + ms);
  it.each([
    ['accepted', { ok: true } as const, 1, { kind: 'sent' }],
    ['550 mailbox unknown', { ok: false, responseCode: 550, error: 'x' } as const, 1, { kind: 'failed', error: 'x' }],
    [
      '451 try later, first attempt',
      { ok: false, responseCode: 451, error: 'x' } as const,
      1,
      { kind: 'retry', at: after(60_000), error: 'x' },
    ],
    [
      'connection refused, third attempt',
      { ok: false, responseCode: undefined, error: 'x' } as const,
      3,
      { kind: 'retry', at: after(15 * 60_000), error: 'x' },
    ],
    [
      'still refused after the last wait',
      { ok: false, responseCode: 421, error: 'x' } as const,
      RETRY_AFTER_MS.length + 1,
      { kind: 'failed', error: 'x (no attempts left)' },
    ],
  ])('%s', (_what, result, attempt, expected) => {
    expect(judge(result, attempt, now)).toEqual(expected);
  });
});
