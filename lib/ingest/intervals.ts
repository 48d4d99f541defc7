// Open/close pairs (participant joined/left, skill added/removed) arrive in any order, possibly in
// different batches. The pairs are therefore derived from *all* marks stored for a conversation, not
// from the batch: the same set of marks always gives the same intervals.

export type Mark<T> = { eventId: string; at: string; open: boolean; data: T };
export type Interval<T> = { open: Mark<T>; close: Mark<T> | null };

/**
 * Marks of one key (one user in one conversation), in time order: a close ends the latest open
 * interval that is still open; a close with nothing open is kept aside until its open arrives.
 */
export function pairMarks<T>(marks: Mark<T>[]): Interval<T>[] {
  const sorted = [...marks].sort(
    (a, b) =>
      cmp(a.at, b.at) ||
      // At the same instant an open precedes a close, so join+leave in one millisecond pairs up.
      Number(b.open) - Number(a.open) ||
      cmp(a.eventId, b.eventId),
  );
  const intervals: Interval<T>[] = [];
  let current: Interval<T> | null = null;
  for (const mark of sorted) {
    if (mark.open) {
      current = { open: mark, close: null };
      intervals.push(current);
    } else if (current && !current.close) {
      current.close = mark;
      current = null;
    }
  }
  return intervals;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
