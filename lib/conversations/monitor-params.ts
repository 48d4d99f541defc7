import { z } from "zod";
import { type Cursor, cursorField, cursorFits, encodeCursor, listFilterFields } from "../list-params.ts";

// The Monitor page's URL state (DESIGN: "Lists keep their state in the URL"): search, queue, agent
// and SmartStatus filters, a keyset cursor and the selected conversation. The filter fields are the
// Conversations list's own schemas; each value is parsed on its own and an invalid one is dropped.

const fields = {
  q: z.string().trim().min(1).max(200),
  queue: listFilterFields.queue,
  agent: listFilterFields.agent,
  smart: listFilterFields.smart,
  after: cursorField,
  before: cursorField,
  conversation: z.uuid(),
};

export type MonitorParams = {
  q?: string;
  queue?: string[];
  agent?: string[];
  smart?: z.output<typeof listFilterFields.smart>;
  after?: Cursor;
  before?: Cursor;
  conversation?: string;
};

export const MONITOR_PAGE_SIZE = 50;

export function parseMonitorParams(search: Record<string, string | string[] | undefined>): MonitorParams {
  const params: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(fields)) {
    const raw = search[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === "") continue;
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) params[key] = parsed.data;
  }
  const result = params as MonitorParams;
  // A page is reached from one side only; a cursor of another order starts from the first page.
  if (result.after && result.before) {
    delete result.after;
    delete result.before;
  }
  for (const side of ["after", "before"] as const) {
    const c = result[side];
    if (c && !cursorFits("newest", c)) delete result[side];
  }
  return result;
}

/** True when the search or a filter narrows the page. */
export function monitorFiltered(params: MonitorParams): boolean {
  return Boolean(params.q || params.queue || params.agent || params.smart);
}

/** The Monitor URL with `changes` applied (undefined removes a key). */
export function monitorHref(params: MonitorParams, changes: Partial<MonitorParams> = {}): string {
  const next: MonitorParams = { ...params, ...changes };
  const query = new URLSearchParams();
  for (const key of Object.keys(fields) as (keyof MonitorParams)[]) {
    const value = next[key];
    if (value === undefined) continue;
    if (key === "after" || key === "before") query.set(key, encodeCursor(value as Cursor));
    else query.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const search = query.toString();
  return search ? `/monitor?${search}` : "/monitor";
}
