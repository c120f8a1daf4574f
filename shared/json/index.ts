/**
 * What PostgreSQL's jsonb and our own code can take of JSON a caller sent. Checked at the edge (the
 * API's bodies, events' data), so a value that passed validation is never refused deeper down.
 */

declare global {
  interface String {
    /** ES2024, in Node since 20 (this project's lib is ES2023, so Node 20 does not get later APIs by mistake). */
    isWellFormed(): boolean;
  }
}

/** Deeper than this is no honest payload: a cap against stack exhaustion in recursive code. */
export const MAX_JSON_DEPTH = 32;

/**
 * Why PostgreSQL would refuse the value as jsonb, or null when it would not: a NUL anywhere (jsonb
 * cannot hold \u0000), a lone UTF-16 surrogate (not Unicode, refused by PostgreSQL), or nesting past
 * MAX_JSON_DEPTH. Iterative, so the check itself cannot exhaust the stack.
 */
export function jsonbProblem(value: unknown): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const problem = stringProblem(item.value);
    if (problem) return problem;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= MAX_JSON_DEPTH) return `nests deeper than ${String(MAX_JSON_DEPTH)} levels`;
    for (const [key, child] of Object.entries(item.value)) {
      const keyProblem = stringProblem(key);
      if (keyProblem) return `has a key that ${keyProblem.replace(/^has a string that /, '')}`;
      stack.push({ value: child, depth: item.depth + 1 });
    }
  }
  return null;
}

/** How deep a value nests (0 for a scalar), counted without recursion and only up to `limit` + 1. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    deepest = Math.max(deepest, item.depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return deepest;
}

function stringProblem(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (value.includes('\u0000')) return 'has a string that holds a NUL character';
  if (!value.isWellFormed()) return 'has a string that holds a lone UTF-16 surrogate';
  return null;
}
