import type { Db } from '../../../shared/db';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { auditEntryOf } from '../api/resources';
import { defineAdminRoute } from '../api/route';
import { auditList, auditQuery, noParams } from '../api/schemas';
import { searchAudit } from '../queries/audit';

/** The audit log: read-only here, as everywhere (the database refuses UPDATE and DELETE on it). */
export function auditLogRoutes(db: Db) {
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/audit-log',
      operationId: 'searchAuditLog',
      summary: "Operators' changes, newest first, by target (merchant:<id>), action, actor and time",
      access: 'viewer',
      params: noParams,
      query: auditQuery,
      response: { status: 200, schema: auditList, description: 'A page and the cursor of the next' },
      handle: async ({ query }) => {
        const after = decodeCursor(query.cursor);
        const rows = await searchAudit(db, {
          ...query,
          from: query.from === undefined ? undefined : new Date(query.from),
          to: query.to === undefined ? undefined : new Date(query.to),
          after: after && { at: after.createdAt, id: after.id },
        });
        const positionOf = (row: (typeof rows)[number]) => ({ createdAt: row.at, id: row.id });
        return { status: 200, body: pageOf(rows, query.limit, auditEntryOf, positionOf) };
      },
    }),
  ];
}
