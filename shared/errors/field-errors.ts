import type { z } from 'zod';

/** Where in a request a fault is: the merchant API's path, query and body; an event's attributes and data. */
export type FieldLocation = 'path' | 'query' | 'body' | 'header' | 'attributes' | 'data';

/**
 * One entry of a problem's `errors` member: the same name and shape in the merchant API and in the
 * event endpoint, so a client reads every validation failure one way. The offending value is never
 * echoed back.
 */
export interface FieldError {
  in: FieldLocation;
  /** Dotted path to the field, `(root)` for the whole. */
  path: string;
  message: string;
}

export function fieldErrors(issues: readonly z.core.$ZodIssue[], where: FieldLocation): FieldError[] {
  return issues.map((issue) => ({
    in: where,
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
