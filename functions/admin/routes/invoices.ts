import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { loggedEventOf } from '../api/resources';
import { defineAdminRoute } from '../api/route';
import {
  idParams,
  invoiceDetail,
  invoiceSearchList,
  invoiceSearchQuery,
  invoiceSummary,
  markInvoiceBody,
  noParams,
} from '../api/schemas';
import { decideMark } from '../invoices/mark';
import { applyMark, lockInvoice } from '../queries/invoice-marks';
import { actorOf } from '../api/route';
import { audited } from '../services/audited';
import { searchEventsOf } from '../queries/event-log';
import { findInvoice, searchInvoices, type InvoiceSummary } from '../queries/invoices';

const summaryOf = (row: InvoiceSummary) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
});

/** The summary of an invoice read whole (the detail, a mark's answer). */
function storedSummaryOf(invoice: NonNullable<Awaited<ReturnType<typeof findInvoice>>>) {
  const metadata = invoice.metadata as Record<string, unknown>;
  return summaryOf({
    id: invoice.id,
    merchantId: invoice.merchantId,
    status: invoice.status,
    additionalStatus: invoice.additionalStatus,
    chainId: invoice.chainId,
    asset: invoice.asset,
    amount: invoice.amount.toFixed(0),
    amountPaid: invoice.amountPaid.toFixed(0),
    orderId: typeof metadata['orderId'] === 'string' ? metadata['orderId'] : null,
    depositAddress: invoice.depositAddress,
    createdAt: invoice.createdAt,
    expiresAt: invoice.expiresAt,
  });
}

/** Invoices across merchants: searched by every field an operator is asked about, and one in full. */
export function invoiceRoutes(db: Db) {
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/invoices',
      operationId: 'searchInvoices',
      summary: 'Invoices across merchants: by merchant, status, asset, amount, dates, order id, tx hash, address',
      access: 'viewer',
      params: noParams,
      query: invoiceSearchQuery,
      response: { status: 200, schema: invoiceSearchList, description: 'Newest first, a page and the next cursor' },
      handle: async ({ query }) => {
        const { cursor, createdFrom, createdTo, ...filters } = query;
        const rows = await searchInvoices(db, {
          ...filters,
          createdFrom: createdFrom === undefined ? undefined : new Date(createdFrom),
          createdTo: createdTo === undefined ? undefined : new Date(createdTo),
          after: decodeCursor(cursor),
        });
        return { status: 200, body: pageOf(rows, query.limit, summaryOf) };
      },
    }),
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/invoices/:id',
      operationId: 'getInvoice',
      summary: 'One invoice: its payments and its whole event history from the event log',
      access: 'viewer',
      params: idParams,
      response: { status: 200, schema: invoiceDetail, description: 'The invoice, its payments, its events' },
      handle: async ({ params }) => {
        const invoice = await findInvoice(db, params.id);
        if (!invoice) throw new ProblemError('not-found', `No invoice ${params.id}`);
        const events = await searchEventsOf(db, params.id);
        const metadata = invoice.metadata as Record<string, unknown>;
        return {
          status: 200,
          body: {
            ...storedSummaryOf(invoice),
            metadata,
            payments: invoice.payments.map((p) => ({
              txHash: p.txHash,
              logIndex: p.logIndex,
              amount: p.amount.toFixed(0),
              status: p.status,
              confirmations: p.confirmations,
              blockNumber: p.blockNumber.toString(),
              fromAddress: p.fromAddress,
            })),
            events: events.map(loggedEventOf),
          },
        };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/invoices/:id/mark',
      operationId: 'markInvoice',
      summary: "Mark an invoice Settled or Invalid by hand, with the operator's reason (BTCPay's Marked)",
      access: 'operator',
      params: idParams,
      body: markInvoiceBody,
      response: { status: 200, schema: invoiceSummary, description: 'The invoice now' },
      handle: async ({ params, body, caller }) => {
        let refusal: string | undefined;
        const marked = await audited(db, actorOf(caller), {
          action: `invoice.mark-${body.status.toLowerCase()}`,
          target: `invoice:${params.id}`,
          run: async (tx) => {
            const invoice = await lockInvoice(tx, params.id);
            if (!invoice) return undefined;
            const decision = decideMark(invoice, body.status);
            if ('refused' in decision) {
              refusal = decision.refused;
              return undefined;
            }
            await applyMark(tx, invoice, decision);
            const before = { status: invoice.status, additionalStatus: invoice.additionalStatus };
            const after = { status: decision.status, additionalStatus: 'Marked', reason: body.reason };
            return { result: true, before, after };
          },
        });
        if (refusal) throw new ProblemError('state-conflict', `Not marked ${body.status}: ${refusal}`);
        if (!marked) throw new ProblemError('not-found', `No invoice ${params.id}`);
        const invoice = await findInvoice(db, params.id);
        return { status: 200, body: invoice && storedSummaryOf(invoice) };
      },
    }),
  ];
}
