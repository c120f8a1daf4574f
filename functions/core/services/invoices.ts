import { randomUUID } from 'node:crypto';
import { depositAddress, findAsset } from '../../../shared/chain';
import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { createEvent } from '../../../shared/events';
import { Prisma, type Invoice } from '../../../prisma/generated/client';
import { speedPolicies, type CreateInvoiceBody } from '../api/schemas';
import type { CoreConfig } from '../config';
import { fiatToBaseUnits } from '../pricing/convert';
import type { RateSource } from '../pricing/rates';
import { claimKey, findStoredKey, type IdempotentRequest } from '../queries/idempotency-keys';
import { insertInvoiceOnce, releaseAddressIndex, reserveAddressIndex } from '../queries/invoices';
import { invoiceResource } from '../../../shared/invoices/resource';
import type { RouteAnswer } from '../api/route';
import { replay } from './idempotency';

export interface InvoiceServiceDeps {
  db: Db;
  /** The CloudEvents source of the events it emits: the function's name. */
  source: string;
  config: CoreConfig;
  rates: RateSource;
}

/**
 * Creates an invoice with its own deposit address, once per Idempotency-Key: priced first (a request
 * refused there spends no address index), then an index reserved, then the invoice, its event and the
 * key's answer written in one statement. An index whose invoice was not written (the statement
 * failed, or a concurrent repeat won the key) is handed back for the next invoice: no gap.
 */
export async function createInvoice(
  deps: InvoiceServiceDeps,
  merchantId: string,
  body: CreateInvoiceBody,
  request?: IdempotentRequest,
): Promise<RouteAnswer> {
  const priced = await priceOf(body, deps);
  const reserved = await reserveAddressIndex(deps.db, request);
  if ('stored' in reserved) return replay(reserved.stored, request as IdempotentRequest);
  let created = false;
  try {
    const invoice = newInvoice(body, priced, merchantId, reserved.index, deps.config);
    const answer = { status: 201, body: invoiceResource(invoice, deps.config) };
    created = await insertInvoiceOnce(
      deps.db,
      invoice,
      [createdEvent(invoice, body, deps.source)],
      request && claimKey(request, { status: answer.status, body: JSON.stringify(answer.body) }),
    );
    if (created) return answer;
  } finally {
    if (!created) await releaseAddressIndex(deps.db, reserved.index);
  }
  // A concurrent request with the same key created the invoice first: answer as it was answered.
  const stored = request && (await findStoredKey(deps.db, request));
  if (!request || !stored) throw new Error('the invoice was not created and no idempotency key holds its answer');
  return replay(stored, request);
}

function createdEvent(invoice: Invoice, body: CreateInvoiceBody, source: string) {
  return createEvent('io.knpay.invoice.created.v1', {
    source,
    subject: invoice.id,
    data: {
      invoiceId: invoice.id,
      merchantId: invoice.merchantId,
      chainId: invoice.chainId,
      asset: invoice.asset,
      amount: invoice.amount.toFixed(),
      depositAddress: invoice.depositAddress,
      confirmationsRequired: invoice.confirmationsRequired,
      expiresAt: invoice.expiresAt.toISOString(),
      metadata: body.metadata,
    },
  });
}

/** The invoice row as it will be stored: built here so the answer is known before the one statement runs. */
function newInvoice(
  body: CreateInvoiceBody,
  priced: Priced,
  merchantId: string,
  addressIndex: number,
  config: CoreConfig,
): Invoice {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 1000 * (body.expiresInSeconds ?? config.INVOICE_EXPIRY_SECONDS));
  return {
    id: randomUUID(),
    merchantId,
    status: 'New',
    additionalStatus: 'None',
    chainId: config.CHAIN_ID,
    asset: priced.asset,
    amount: new Prisma.Decimal(priced.amount.toString()),
    amountPaid: new Prisma.Decimal(0),
    amountSettled: null,
    fiatAmount: body.price ? BigInt(body.price.amount) : null,
    fiatCurrency: body.price?.currency ?? null,
    rate: priced.rate,
    depositAddress: depositAddress(config.DEPOSIT_XPUB, addressIndex),
    addressIndex,
    confirmationsRequired: body.confirmations ?? speedPolicies[body.speedPolicy ?? 'MediumSpeed'],
    toleranceBps: body.paymentToleranceBps,
    metadata: body.metadata as Prisma.JsonObject,
    redirectUrl: body.checkout?.redirectUrl ?? null,
    expiresAt,
    monitoringUntil: new Date(expiresAt.getTime() + 60_000 * config.INVOICE_MONITORING_MINUTES),
    createdAt: now,
    updatedAt: now,
  };
}

interface Priced {
  asset: string;
  amount: bigint;
  rate: string | null;
}

/** The invoice's amount in base units: as given, or the fiat price at the rate locked now. */
async function priceOf(body: CreateInvoiceBody, deps: InvoiceServiceDeps): Promise<Priced> {
  const asset = findAsset(deps.config, body.asset);
  if (!asset)
    throw new ProblemError('unknown-asset', `${body.asset} is not accepted on chain ${String(deps.config.CHAIN_ID)}`);
  if (body.amount !== undefined) return { asset: asset.asset, amount: BigInt(body.amount), rate: null };
  if (!body.price) throw new ProblemError('invalid-request', 'give exactly one of amount or price');
  const rate = await deps.rates(asset.symbol, body.price.currency);
  if (/^0*(\.0*)?$/.test(rate))
    throw new ProblemError('rate-unavailable', `The rate for ${asset.symbol}/${body.price.currency} is zero`);
  return {
    asset: asset.asset,
    amount: fiatToBaseUnits(BigInt(body.price.amount), body.price.currency, rate, asset.decimals),
    rate,
  };
}
