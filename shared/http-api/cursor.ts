import { z } from 'zod';
import { ProblemError } from '../errors';
import { timestamp } from '../events/schemas/fields';

const cursorPayload = z.tuple([timestamp, z.uuid()]);

type Position = { createdAt: Date; id: string };

/** An opaque cursor: the (created_at, id) of the last row of a page, base64url-encoded. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

/** The position a cursor names; none when the request gave none (the first page). */
export function decodeCursor(cursor: string): Position;
export function decodeCursor(cursor: string | undefined): Position | undefined;
export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = cursorPayload.safeParse(decoded);
  if (!parsed.success) throw new ProblemError('invalid-request', 'cursor is not a nextCursor this API gave');
  return { createdAt: new Date(parsed.data[0]), id: parsed.data[1] };
}

/**
 * A page from rows fetched one past the limit (the extra row, dropped, says a next page exists): the
 * rows as resources and the cursor of the next page, from the last row's position (`positionOf`; by
 * default the row's own createdAt and id).
 */
export function pageOf<R extends Position, T>(rows: R[], limit: number, resource: (row: R) => T): Page<T>;
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  resource: (row: R) => T,
  positionOf: (row: R) => Position,
): Page<T>;
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  resource: (row: R) => T,
  positionOf = (row: R) => row as Position,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => resource(row)),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
