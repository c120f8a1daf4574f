import type { Db } from '../../../shared/db';
import { loggedEventOf } from '../api/resources';
import { defineAdminRoute } from '../api/route';
import { eventList, eventQuery, noParams } from '../api/schemas';
import { searchEvents } from '../queries/event-log';

/** The event log: every event of every topic, by subject (an invoice's history) or type, newest first. */
export function eventRoutes(db: Db) {
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/events',
      operationId: 'searchEvents',
      summary: 'Events by subject (an invoice id: its whole history) or type, within a time range',
      access: 'viewer',
      params: noParams,
      query: eventQuery,
      response: { status: 200, schema: eventList, description: 'Newest first' },
      handle: async ({ query }) => {
        const rows = await searchEvents(db, {
          ...query,
          from: query.from === undefined ? undefined : new Date(query.from),
          to: query.to === undefined ? undefined : new Date(query.to),
        });
        return { status: 200, body: { data: rows.map(loggedEventOf) } };
      },
    }),
  ];
}
