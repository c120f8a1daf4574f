/**
 * Rows after a cursor in a newest-first list ordered by (created_at, id) descending: the condition of
 * every cursor-paginated list of the merchant API.
 */
export function olderThan(after: { createdAt: Date; id: string } | undefined) {
  return after
    ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
    : {};
}
