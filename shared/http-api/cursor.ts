import { z } from 'zod';
import { ProblemError } from '../errors';
import { timestamp } from '../events/schemas/fields';

const cursorPayload = z.tuple([timestamp, z.uuid()]);

/** An opaque cursor: the (created_at, id) of the last row of a page, base64url-encoded. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
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
