import { CloudEvent } from 'cloudevents';
import { catalog, createEvent, parseEvent, toCloudEvent, topics } from '../../shared/events';
import { ProblemError } from '../../shared/errors';

const invoiceId = '0b9c6f5e-4f0c-4d5e-9a59-0f8b1d0f1a11';
const merchantId = '5f2d3a1c-7b4e-4c9a-8d6f-2e1b0c9a8f77';
const settled = {
  invoiceId,
  merchantId,
  chainId: 1,
  asset: 'native',
  amount: '1000000000000000000',
  amountPaid: '1000000000000000000',
  additionalStatus: 'None',
} as const;

describe('the event catalog', () => {
  it('gives every type a versioned reverse-DNS name and a declared topic (or none, for Knative ticks)', () => {
    const topicNames = new Set<string | null>([...Object.values(topics).map((t) => t.name), null]);
    for (const [type, definition] of Object.entries(catalog)) {
      expect(type).toMatch(/^(io\.knpay\.[a-z-]+(\.[a-z-]+)+\.v\d+|dev\.knative\.sources\.ping)$/);
      expect(topicNames.has(definition.topic)).toBe(true);
    }
  });

  it('builds a typed event and round-trips it through a CloudEvent', () => {
    const event = createEvent('io.knpay.invoice.settled.v1', {
      source: '/knpay/payment',
      subject: invoiceId,
      data: settled,
    });
    expect(event).toMatchObject({ type: 'io.knpay.invoice.settled.v1', subject: invoiceId, data: settled });
    const parsed = parseEvent(toCloudEvent(event));
    expect(parsed).toEqual(event);
  });

  it('refuses to build an event whose data breaks its schema', () => {
    expect(() =>
      createEvent('io.knpay.invoice.settled.v1', {
        source: '/x',
        subject: invoiceId,
        data: { ...settled, amount: '-1' },
      }),
    ).toThrow();
  });

  it.each([
    ['a negative amount', '-5'],
    ['a decimal amount', '1.5'],
    ['a number instead of a string', 5],
    ['2^256', (1n << 256n).toString()],
    ['a leading zero', '01'],
  ])('rejects %s as a 422 problem naming the field', (_name, amount) => {
    const ce = new CloudEvent({
      id: '1',
      source: '/x',
      type: 'io.knpay.invoice.settled.v1',
      data: { ...settled, amount },
    });
    let error: unknown;
    try {
      parseEvent(ce);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(422);
    expect((error as ProblemError).extensions['errors']).toEqual([
      expect.objectContaining({ in: 'data', path: 'amount' }),
    ]);
  });

  it('accepts the largest uint256', () => {
    const max = ((1n << 256n) - 1n).toString();
    const ce = new CloudEvent({
      id: '1',
      source: '/x',
      type: 'io.knpay.invoice.settled.v1',
      data: { ...settled, amount: max },
    });
    expect(parseEvent(ce).data).toMatchObject({ amount: max });
  });

  it('answers an unknown type as a 422 problem', () => {
    const ce = new CloudEvent({ id: '1', source: '/x', type: 'com.example.other', data: {} });
    expect(() => parseEvent(ce)).toThrow(expect.objectContaining({ problemType: 'unknown-event-type' }) as Error);
  });
});
