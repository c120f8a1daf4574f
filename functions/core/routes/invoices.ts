import { randomUUID } from 'node:crypto';
import { depositAddress, findAsset } from '../../../shared/chain';
import { ProblemError } from '../../../shared/errors';
import { Prisma, type Invoice } from '../../../prisma/generated/client';
import type { Db } from '../../../shared/db';
import { createEvent } from '../../../shared/events';
import type { CoreConfig } from '../config';
import { claimKey, findStoredKey, idempotencyKeyOf, replay, requestFingerprint, type IdempotentRequest } from '../api/idempotency';
import { defineRoute } from '../api/route';
import { createInvoiceBody, invoiceIdParams, invoiceList, invoiceResource as invoiceSchema, listInvoicesQuery, speedPolicies, type CreateInvoiceBody } from '../api/schemas';
import { fiatToBaseUnits } from '../pricing/convert';
import type { RateSource } from '../pricing/rates';
import { findInvoice, insertInvoiceOnce, listInvoices, reserveAddressIndex } from '../queries/invoices';
import { decodeCursor, encodeCursor } from './cursor';
import { invoiceResource } from './invoice-resource';

export interface InvoiceRouteDeps {
  db: Db;
  /** The CloudEvents source of the events these routes emit: the function's name. */
  source: string;
  config: CoreConfig;
  rates: RateSource;
}

export function invoiceRoutes(deps: InvoiceRouteDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/invoices',
      operationId: 'createInvoice',
      summary: 'Create an invoice with its own deposit address',
      scope: 'invoices:write',
      body: createInvoiceBody,
      idempotent: true,
      response: { status: 201, schema: invoiceSchema, description: 'The invoice (replayed as first sent for a repeated Idempotency-Key)' },
      handle: async ({ body, merchantId, req }) => {
        const key = idempotencyKeyOf(req);
        const request = key === undefined ? undefined : { merchantId, key, fingerprint: requestFingerprint(req, req.body) };
        // Priced first: a request refused here (unknown asset, no rate) must not spend an address index.
        const priced = await priceOf(body, deps);
        const reserved = await reserveAddressIndex(deps.db, request);
        if ('stored' in reserved) return replay(reserved.stored, request as IdempotentRequest);
        const invoice = newInvoice(body, priced, merchantId, reserved.index, deps);
        const answer = { status: 201, body: invoiceResource(invoice, deps.config) };
        const created = createEvent('io.knpay.invoice.created.v1', {
          source: deps.source,
          subject: invoice.id,
          data: {
            invoiceId: invoice.id,
            merchantId,
            chainId: invoice.chainId,
            asset: invoice.asset,
            amount: invoice.amount.toFixed(),
            depositAddress: invoice.depositAddress,
            confirmationsRequired: invoice.confirmationsRequired,
            expiresAt: invoice.expiresAt.toISOString(),
            metadata: body.metadata,
          },
        });
        if (await insertInvoiceOnce(deps.db, invoice, [created], request && claimKey(request, answer))) return answer;
        // A concurrent request with the same key created the invoice first: answer as it was answered.
        const stored = request && (await findStoredKey(deps.db, request));
        if (!request || !stored) throw new Error('the invoice was not created and no idempotency key holds its answer');
        return replay(stored, request);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/invoices/:id',
      operationId: 'getInvoice',
      summary: 'Get an invoice with its payments',
      scope: 'invoices:read',
      params: invoiceIdParams,
      response: { status: 200, schema: invoiceSchema, description: 'The invoice' },
      handle: async ({ params, merchantId }) => {
        const invoice = await findInvoice(deps.db, merchantId, params.id);
        if (!invoice) throw new ProblemError('not-found', `No invoice ${params.id}`);
        return { status: 200, body: invoiceResource(invoice, deps.config, invoice.payments) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/invoices',
      operationId: 'listInvoices',
      summary: 'List invoices, newest first, with filters and cursor pagination',
      scope: 'invoices:read',
      query: listInvoicesQuery,
      response: { status: 200, schema: invoiceList, description: 'A page of invoices' },
      handle: async ({ query, merchantId }) => {
        const rows = await listInvoices(deps.db, {
          merchantId,
          statuses: query.status,
          createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
          createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
          after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
          limit: query.limit + 1,
        });
        const page = rows.slice(0, query.limit);
        const last = page.at(-1);
        const nextCursor = rows.length > query.limit && last ? encodeCursor(last) : null;
        return { status: 200, body: { data: page.map((row) => invoiceResource(row, deps.config)), nextCursor } };
      },
    }),
  ];
}

/** The invoice row as it will be stored: built here so the answer is known before the one statement runs. */
function newInvoice(body: CreateInvoiceBody, priced: Priced, merchantId: string, addressIndex: number, deps: InvoiceRouteDeps): Invoice {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 1000 * (body.expiresInSeconds ?? deps.config.INVOICE_EXPIRY_SECONDS));
  return {
    id: randomUUID(),
    merchantId,
    status: 'New',
    additionalStatus: 'None',
    chainId: deps.config.CHAIN_ID,
    asset: priced.asset,
    amount: new Prisma.Decimal(priced.amount.toString()),
    amountPaid: new Prisma.Decimal(0),
    fiatAmount: body.price ? BigInt(body.price.amount) : null,
    fiatCurrency: body.price?.currency ?? null,
    rate: priced.rate,
    depositAddress: depositAddress(deps.config.DEPOSIT_XPUB, addressIndex),
    addressIndex,
    confirmationsRequired: body.confirmations ?? speedPolicies[body.speedPolicy ?? 'MediumSpeed'],
    toleranceBps: body.paymentToleranceBps,
    metadata: body.metadata as Prisma.JsonObject,
    expiresAt,
    monitoringUntil: new Date(expiresAt.getTime() + 60_000 * deps.config.INVOICE_MONITORING_MINUTES),
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
async function priceOf(body: CreateInvoiceBody, deps: InvoiceRouteDeps): Promise<Priced> {
  const asset = findAsset(deps.config, body.asset);
  if (!asset) throw new ProblemError('unknown-asset', `${body.asset} is not accepted on chain ${String(deps.config.CHAIN_ID)}`);
  if (body.amount !== undefined) return { asset: asset.asset, amount: BigInt(body.amount), rate: null };
  if (!body.price) throw new ProblemError('invalid-request', 'give exactly one of amount or price');
  const rate = await deps.rates(asset.symbol, body.price.currency);
  if (/^0*(\.0*)?$/.test(rate)) throw new ProblemError('rate-unavailable', `The rate for ${asset.symbol}/${body.price.currency} is zero`);
  return { asset: asset.asset, amount: fiatToBaseUnits(BigInt(body.price.amount), body.price.currency, rate, asset.decimals), rate };
}
