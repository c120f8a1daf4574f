import type { Db } from '../../../shared/db';
import { ProblemError } from '../../../shared/errors';
import { decodeCursor, pageOf } from '../../../shared/http-api/cursor';
import { deadLetterOf } from '../api/resources';
import { actorOf, defineAdminRoute } from '../api/route';
import {
  deadLetterDetail,
  deadLetterList,
  deadLetterQuery,
  deadLetterResource,
  discardBody,
  idParams,
  noParams,
  replayBody,
  replayResult,
} from '../api/schemas';
import {
  fateOf,
  findDeadLetter,
  listDeadLetters,
  replayTopic,
  republish,
  resolveDeadLetter,
} from '../queries/dead-letters';
import { audited } from '../services/audited';

/**
 * What the KafkaSources could not deliver: why (the last answer), replayed to its topic once the cause
 * is fixed, or discarded with a note; each replay and discard audited, and a letter's later fate shown.
 */
export function deadLetterRoutes(db: Db) {
  return [
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/dead-letters',
      operationId: 'listDeadLetters',
      summary: 'Dead letters, newest first, by status',
      access: 'viewer',
      params: noParams,
      query: deadLetterQuery,
      response: { status: 200, schema: deadLetterList, description: 'A page and the cursor of the next' },
      handle: async ({ query }) => {
        const before = decodeCursor(query.cursor)?.createdAt;
        const rows = await listDeadLetters(db, { status: query.status, before, limit: query.limit });
        const positionOf = (row: (typeof rows)[number]) => ({ createdAt: row.receivedAt, id: row.id });
        return { status: 200, body: pageOf(rows, query.limit, deadLetterOf, positionOf) };
      },
    }),
    defineAdminRoute({
      method: 'get',
      path: '/admin/v1/dead-letters/:id',
      operationId: 'getDeadLetter',
      summary: 'A dead letter, and what became of its event since (handled, or dead-lettered again)',
      access: 'viewer',
      params: idParams,
      response: { status: 200, schema: deadLetterDetail, description: 'The letter and its fate' },
      handle: async ({ params }) => {
        const row = await findDeadLetter(db, params.id);
        if (!row) throw new ProblemError('not-found', `No dead letter ${params.id}`);
        const fate = await fateOf(db, row);
        return {
          status: 200,
          body: {
            ...deadLetterOf(row),
            fate: {
              handledBy: fate.handledBy.map((h) => ({ ...h, handledAt: h.handledAt.toISOString() })),
              laterDeadLetters: fate.laterDeadLetters.map((l) => ({ ...l, receivedAt: l.receivedAt.toISOString() })),
            },
          },
        };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/dead-letters/replay',
      operationId: 'replayDeadLetters',
      summary: 'Send waiting dead letters to their topic again, to be delivered once more',
      access: 'operator',
      params: noParams,
      body: replayBody,
      response: { status: 200, schema: replayResult, description: 'What became of each id' },
      handle: async ({ body, caller }) => {
        const data = [];
        for (const id of new Set(body.ids)) {
          const letter = await findDeadLetter(db, id);
          if (letter && letter.status === 'waiting' && replayTopic(letter) === undefined) {
            data.push({ id, outcome: 'not-replayable' as const });
            continue;
          }
          const replayed = await audited(db, actorOf(caller), {
            action: 'dead-letter.replay',
            target: `dead-letter:${id}`,
            run: async (tx) => {
              // Marked first: of two operators replaying at once, one marks it and sends it, once.
              const marked = await resolveDeadLetter(tx, id, {
                status: 'replayed',
                by: caller.name,
                note: body.note ?? null,
              });
              if (!marked) return undefined;
              // Checked above; were it not replayable after all, the mark is rolled back with it.
              if (!(await republish(tx, marked))) throw new ProblemError('state-conflict', `${id} cannot be replayed`);
              return { result: true, after: { status: 'replayed', note: body.note ?? null } };
            },
          });
          data.push({ id, outcome: replayed ? ('replayed' as const) : ('not-waiting' as const) });
        }
        return { status: 200, body: { data } };
      },
    }),
    defineAdminRoute({
      method: 'post',
      path: '/admin/v1/dead-letters/:id/discard',
      operationId: 'discardDeadLetter',
      summary: 'Set a dead letter aside for good, saying why',
      access: 'operator',
      params: idParams,
      body: discardBody,
      response: { status: 200, schema: deadLetterResource, description: 'The letter, discarded' },
      handle: async ({ params, body, caller }) => {
        const row = await audited(db, actorOf(caller), {
          action: 'dead-letter.discard',
          target: `dead-letter:${params.id}`,
          run: async (tx) => {
            const letter = await resolveDeadLetter(tx, params.id, {
              status: 'discarded',
              by: caller.name,
              note: body.note,
            });
            return letter && { result: letter, after: { status: 'discarded', note: body.note } };
          },
        });
        if (!row)
          throw new ProblemError('state-conflict', `Dead letter ${params.id} is not waiting (or does not exist)`);
        return { status: 200, body: deadLetterOf(row) };
      },
    }),
  ];
}
