import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

// The id of the request (or job) being handled, carried through every await by AsyncLocalStorage.
// Kept on globalThis: the web server (scripts/web.ts) and the Next.js bundle it serves load their
// own copies of this module, and both must see the one store the server entered for the request.
const globalForIds = globalThis as unknown as { parleyRequestIds?: AsyncLocalStorage<string> };
globalForIds.parleyRequestIds ??= new AsyncLocalStorage<string>();
const store = globalForIds.parleyRequestIds;

/** An incoming X-Request-Id is kept when it looks like one (a proxy's), so logs line up across hops. */
const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && INCOMING_ID.test(value) ? value : randomUUID();
}

export function withRequestId<T>(id: string, fn: () => T): T {
  return store.run(id, fn);
}

/** The current request's (or job's) id, if any. */
export function currentRequestId(): string | undefined {
  return store.getStore();
}

/**
 * The field a job's payload carries its enqueuing request's id in. The worker reads it before the
 * job's schema validates (and strips) the payload, so handlers never see it.
 */
export const JOB_REQUEST_ID = "_requestId";

export function jobRequestId(data: unknown): string | undefined {
  const value = (data as Record<string, unknown> | null)?.[JOB_REQUEST_ID];
  return typeof value === "string" && INCOMING_ID.test(value) ? value : undefined;
}
