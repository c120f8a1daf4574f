import { ProblemError } from '../../../shared/errors';
import { defineRoute } from '../api/route';
import { createInvoiceBody, invoiceIdParams, invoiceList, listInvoicesQuery } from '../api/schemas';
import { findInvoice, listInvoices } from '../queries/invoices';
import { idempotentRequest } from '../services/idempotency';
import { createInvoice, type InvoiceServiceDeps } from '../services/invoices';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { invoiceResource as invoiceSchema } from '../../../shared/invoices/resource-schema';
import { invoiceResource } from '../../../shared/invoices/resource';

export function invoiceRoutes(deps: InvoiceServiceDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/invoices',
      operationId: 'createInvoice',
      summary: 'Create an invoice with its own deposit address',
      scope: 'invoices:write',
      body: createInvoiceBody,
      idempotent: true,
      response: {
        status: 201,
        schema: invoiceSchema,
        description: 'The invoice (replayed as first sent for a repeated Idempotency-Key)',
      },
      handle: ({ body, merchantId, req }) => createInvoice(deps, merchantId, body, idempotentRequest(req, merchantId)),
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
        // One clock for the filter and the statuses shown, so a page agrees with what it was asked for.
        const now = new Date();
        const rows = await listInvoices(
          deps.db,
          {
            merchantId,
            statuses: query.status,
            createdFrom: query.createdFrom ? new Date(query.createdFrom) : undefined,
            createdTo: query.createdTo ? new Date(query.createdTo) : undefined,
            after: decodeCursor(query.cursor),
            limit: query.limit + 1,
          },
          now,
        );
        const resource = (row: (typeof rows)[number]) => invoiceResource(row, deps.config, undefined, now);
        return { status: 200, body: pageOf(rows, query.limit, resource) };
      },
    }),
  ];
}
