import { z } from "zod";

// Inputs that end up in PostgreSQL comparisons must fit the column's type: a value out of range
// fails the query (a 500) instead of being refused as bad input (a 4xx).

/** A non-negative `integer` (int4), e.g. a message's seq. */
export const int4Index = z.number().int().min(0).max(2_147_483_647);

/** A `bigint` identity as text; 18 digits stay below 2^63 however the id grows. */
export const bigintIdText = z.string().regex(/^[1-9]\d{0,17}$/);

// What PostgreSQL's `uuid` type reads in canonical form (any version: ids may come from elsewhere).
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` can be compared with a `uuid` column without failing the query. */
export function isUuid(value: string): boolean {
  return UUID_TEXT.test(value);
}
