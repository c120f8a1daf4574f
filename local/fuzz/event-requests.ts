import fc from 'fast-check';
import { catalog } from '../../shared/events';
import { nasty, anyJson, deep, mutated, type FuzzRequest } from './hostile-values';

const eventTypes = Object.keys(catalog);
const attribute = fc.oneof(
  { weight: 8, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: nasty },
);

/** A settled event's data, mutated: what an attacker would forge. */
const settledData = fc.record(
  {
    invoiceId: mutated(fc.uuid()),
    merchantId: mutated(fc.uuid()),
    chainId: mutated(fc.constantFrom(31337, 1, 2 ** 31)),
    asset: mutated(fc.constantFrom('native', `0x${'5f'.repeat(20)}`)),
    amount: mutated(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map(String)),
    amountPaid: mutated(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map(String)),
    additionalStatus: mutated(fc.constantFrom('None', 'PaidOver')),
  },
  { requiredKeys: [] },
);
const tickData = fc.record(
  { job: mutated(fc.constant('scan-chain')), chainId: mutated(fc.constantFrom(31337, 1, 2 ** 31, -1)) },
  { requiredKeys: [] },
);

const ceAttributes = fc.record(
  {
    specversion: fc.oneof(
      { weight: 8, arbitrary: fc.constant('1.0') },
      { weight: 1, arbitrary: fc.constantFrom('0.3', '', '2.0') },
    ),
    id: fc.oneof({ weight: 8, arbitrary: fc.uuid() }, { weight: 1, arbitrary: attribute }),
    source: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('/knpay/payment', '/apis/v1/namespaces/knpay/pingsources/scan-chain') },
      { weight: 1, arbitrary: attribute },
    ),
    type: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('io.knpay.invoice.settled.v1', 'dev.knative.sources.ping') },
      { weight: 1, arbitrary: fc.constantFrom(...eventTypes) },
      { weight: 1, arbitrary: attribute },
    ),
    time: fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .date({ noInvalidDate: true, min: new Date(1), max: new Date('9999-12-31') })
          .map((d) => d.toISOString()),
      },
      { weight: 1, arbitrary: nasty },
    ),
    subject: attribute,
  },
  { requiredKeys: ['specversion', 'id', 'source', 'type'] },
);
const eventData = fc.oneof(
  { weight: 6, arbitrary: settledData },
  { weight: 3, arbitrary: tickData },
  { weight: 1, arbitrary: anyJson },
  { weight: 1, arbitrary: deep },
);

/** A function's CloudEvents endpoint: binary, structured and batched modes. */
export function eventRequests(): fc.Arbitrary<FuzzRequest> {
  const binary = fc
    .record({
      attributes: ceAttributes,
      data: eventData,
      encoding: fc.oneof(
        { weight: 12, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom('gzip', 'br') },
      ),
    })
    .map(({ attributes, data, encoding }) => ({
      target: 'events' as const,
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/json',
        ...Object.fromEntries(
          Object.entries(attributes).map(([name, value]) => [`ce-${name}`, value.replace(/[^\x20-\x7e]/g, '')]),
        ),
        ...(encoding === null ? {} : { 'content-encoding': encoding }),
      },
      body: JSON.stringify(data),
    }));
  const structuredEvent = fc
    .record({
      attributes: ceAttributes,
      data: eventData,
      extra: fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 2 }),
    })
    .map(({ attributes, data, extra }) => ({ ...extra, ...attributes, data }));
  const structured = fc
    .oneof(
      structuredEvent.map((event) => ({ type: 'application/cloudevents+json', body: JSON.stringify(event) })),
      fc
        .array(structuredEvent, { maxLength: 4 })
        .map((events) => ({ type: 'application/cloudevents-batch+json', body: JSON.stringify(events) })),
      anyJson.map((value) => ({ type: 'application/cloudevents+json', body: JSON.stringify(value) })),
    )
    .map(({ type, body }) => ({
      target: 'events' as const,
      method: 'POST',
      path: '/',
      headers: { 'content-type': type },
      body: body,
    }));
  return fc.oneof({ weight: 3, arbitrary: binary }, { weight: 1, arbitrary: structured });
}
