import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import type { Database } from "../../db/client.ts";
import type { DB, RecordingState } from "../../db/types.ts";
import { notifyConversations } from "../live/notify.ts";
import type { BlobStore } from "../storage/index.ts";
import { combineLegResults, discardStaged, fetchLeg, type LegResult, placeLeg } from "./fetcher.ts";
import {
  type AttemptKind,
  type MachineRow,
  MINUTE,
  type RecordingEvent,
  scheduledAttemptKind,
  transition,
} from "./machine.ts";
import { type AllowList, EMPTY_ALLOW_LIST } from "./outbound.ts";
import { authHeaders, legUrl, type RecordingSource, templateLegs } from "./source.ts";
import { NO_ATTEMPT } from "./store.ts";

// One fetch attempt for one recording, in three steps: claim (a short transaction that moves the
// row to fetching_in_progress, books the next background attempt and writes the attempt on the row
// with a lease), download the missing legs (no transaction open, the lease renewed), then save the
// legs and the outcome. pg-boss runs at most one fetch job per recording at a time (queue policy
// "singleton", key = recording id); the claim's row lock and its checks make a duplicate or stale
// job a no-op. A worker that dies after the claim lets the lease lapse: the next job for the
// recording (pg-boss's retry, or the dispatcher's booking of lapsed attempts) resumes that attempt.

export type FetchRequest = { recordingId: string; manual: boolean; stateBefore?: RecordingState | undefined };

export type FetchDeps = {
  db: Database;
  blobs: BlobStore;
  source: RecordingSource | null;
  /** RECORDING_SOURCE_ALLOWED_HOSTS: private hosts registered leg URLs may point at (none by default). */
  allow?: AllowList;
  now?: () => Date;
  log?: (line: string) => void;
};

export type FetchResult =
  | { ran: false; reason: string }
  | { ran: true; kind: AttemptKind; state: RecordingState; error: string | null };

/** How long a claimed attempt stays its worker's without a renewal (every third of it). */
export const ATTEMPT_LEASE_MS = MINUTE;
const leaseFrom = (now: Date) => new Date(now.getTime() + ATTEMPT_LEASE_MS);

type Claimed = {
  row: MachineRow;
  kind: AttemptKind;
  attemptId: string;
  conversationId: string;
  callId: string;
};

const toMachineRow = (r: {
  state: RecordingState;
  ended_at: Date | null;
  next_attempt_at: Date | null;
  manual_retry_at: Date | null;
  attempt_kind: AttemptKind | null;
  attempt_state_before: RecordingState | null;
}): MachineRow => ({
  state: r.state,
  endedAt: r.ended_at,
  nextAttemptAt: r.next_attempt_at,
  manualRetryAt: r.manual_retry_at,
  attemptKind: r.attempt_kind,
  stateBeforeAttempt: r.attempt_state_before,
});

async function lockRecording(trx: Transaction<DB>, recordingId: string) {
  return trx
    .selectFrom("recordings as r")
    .innerJoin("conversations as c", "c.id", "r.conversation_id")
    .select([
      "r.id",
      "r.state",
      "r.next_attempt_at",
      "r.manual_retry_at",
      "r.fetch_attempts",
      "r.attempt_kind",
      "r.attempt_state_before",
      "r.attempt_id",
      "r.attempt_lease_until",
      "r.conversation_id",
      "c.ended_at",
      "c.external_call_id",
      "c.session_id",
    ])
    .where("r.id", "=", recordingId)
    .forUpdate("r")
    .executeTakeFirst();
}

async function claim(deps: FetchDeps, req: FetchRequest, now: Date): Promise<Claimed | string> {
  return deps.db.transaction().execute(async (trx) => {
    const rec = await lockRecording(trx, req.recordingId);
    if (!rec) return "no such recording";
    if (!rec.ended_at) return "the call has not ended";
    let row = toMachineRow(rec);
    let kind: AttemptKind;
    if (row.attemptKind) {
      // Claimed before and its outcome never stored: still running, or its worker died.
      if (rec.attempt_lease_until && rec.attempt_lease_until > now) return "an attempt is running";
      kind = row.attemptKind;
    } else if (req.manual) {
      // Requested by the Retry action, which already moved the row to fetching_in_progress.
      if (rec.state !== "fetching_in_progress") return `state is ${rec.state}, not a requested retry`;
      kind = "manual";
      row = { ...row, stateBeforeAttempt: req.stateBefore ?? null };
    } else {
      if (!rec.next_attempt_at || rec.next_attempt_at > now) return "not due";
      kind = scheduledAttemptKind({ endedAt: rec.ended_at, fetchAttempts: rec.fetch_attempts }, now);
    }
    const resumed = Boolean(row.attemptKind);
    const event: RecordingEvent = resumed ? { type: "attempt_resumed" } : { type: "attempt_started", kind };
    const started = transition(row, event, now);
    if (!started.ok) return `not fetchable (${started.reason}) in state ${rec.state}`;
    const attemptId = randomUUID();
    await trx
      .updateTable("recordings")
      .set({
        state: started.row.state,
        next_attempt_at: started.row.nextAttemptAt,
        attempt_kind: kind,
        attempt_state_before: started.row.stateBeforeAttempt ?? null,
        attempt_id: attemptId,
        attempt_lease_until: leaseFrom(now),
        // A resumed attempt was counted when it started.
        ...(resumed ? {} : { fetch_attempts: sql`fetch_attempts + 1`, last_attempt_at: now }),
        updated_at: now,
      })
      .where("id", "=", rec.id)
      .execute();
    await notifyConversations(trx, [rec.conversation_id]);
    return {
      row: started.row,
      kind,
      attemptId,
      conversationId: rec.conversation_id,
      callId: rec.external_call_id ?? rec.session_id,
    };
  });
}

type PlannedLeg = {
  legIndex: number;
  label: string;
  url: string | null;
  headers: Record<string, string>;
  /** Set for legs built from RECORDING_SOURCE_URL: the operator's server, trusted at any address. */
  trustedOrigin?: string;
  stored: LegResult | null;
};

async function planLegs(deps: FetchDeps, recordingId: string, callId: string): Promise<PlannedLeg[]> {
  const registered = await deps.db
    .selectFrom("recording_legs")
    .selectAll()
    .where("recording_id", "=", recordingId)
    .orderBy("leg_index")
    .execute();
  const storedResult = (l: (typeof registered)[number]): LegResult | null =>
    l.storage_key
      ? {
          kind: "stored",
          leg: {
            storageKey: l.storage_key,
            stagedKey: null,
            format: l.format ?? "",
            sizeBytes: Number(l.size_bytes ?? 0),
            sha256: l.sha256 ?? "",
            sampleRate: l.sample_rate,
            channels: l.channels,
            durationMs: l.duration_ms,
          },
        }
      : null;
  const source = deps.source;
  const fromTemplate = source
    ? templateLegs(source).map((l) => ({
        ...l,
        url: legUrl(source, callId, l.label),
        headers: authHeaders(source),
        trustedOrigin: new URL(source.urlTemplate).origin,
      }))
    : [];
  // Legs ingest registered (an uploaded file, or a URL to fetch) are the recording; the configured
  // server is asked for a recording nobody described, or whose legs are the ones it served before.
  const byIndex = new Map(registered.map((l) => [l.leg_index, l]));
  const servedBefore = registered.every((l) =>
    fromTemplate.some((t) => t.legIndex === l.leg_index && t.url === l.source_url),
  );
  if (registered.length > 0 && !servedBefore) {
    return registered.map((l) => ({
      legIndex: l.leg_index,
      label: l.label,
      url: l.source_url,
      headers: {},
      stored: storedResult(l),
    }));
  }
  return fromTemplate.map((l) => {
    const known = byIndex.get(l.legIndex);
    return { ...l, stored: known ? storedResult(known) : null };
  });
}

/** Sets the attempt's lease, as long as the attempt is still this run's. */
const setLease = (deps: FetchDeps, recordingId: string, attemptId: string, until: Date) =>
  deps.db
    .updateTable("recordings")
    .set({ attempt_lease_until: until })
    .where("id", "=", recordingId)
    .where("attempt_id", "=", attemptId)
    .execute();

/** Runs one attempt (see the file comment). Safe to call for a stale or duplicate job. */
export async function runRecordingFetch(deps: FetchDeps, req: FetchRequest): Promise<FetchResult> {
  const now = deps.now ?? (() => new Date());
  const claimed = await claim(deps, req, now());
  if (typeof claimed === "string") return { ran: false, reason: claimed };
  const renewal = setInterval(() => {
    setLease(deps, req.recordingId, claimed.attemptId, leaseFrom(now())).catch(() => {});
  }, ATTEMPT_LEASE_MS / 3);
  renewal.unref();
  try {
    return await runClaimed(deps, req, claimed, now);
  } catch (err) {
    // The outcome was not stored (say the save failed): pg-boss's retry may resume it at once.
    await setLease(deps, req.recordingId, claimed.attemptId, now()).catch(() => {});
    throw err;
  } finally {
    clearInterval(renewal);
  }
}

async function runClaimed(
  deps: FetchDeps,
  req: FetchRequest,
  claimed: Claimed,
  now: () => Date,
): Promise<FetchResult> {
  const legs = await planLegs(deps, req.recordingId, claimed.callId);
  const results: LegResult[] = [];
  const errors: string[] = [];
  for (const leg of legs) {
    if (leg.stored) {
      results.push(leg.stored);
      continue;
    }
    const result = leg.url
      ? await fetchLeg({
          url: leg.url,
          headers: leg.headers,
          timeoutMs: deps.source?.timeoutMs ?? 60_000,
          blobs: deps.blobs,
          keyBase: `recordings/${claimed.conversationId}/leg-${leg.legIndex}`,
          allow: deps.allow ?? EMPTY_ALLOW_LIST,
          trustedOrigin: leg.trustedOrigin,
        })
      : ({
          kind: "download_failed",
          error: leg.trustedOrigin
            ? `The call id "${claimed.callId}" cannot be used as a URL path segment`
            : "No source URL for this leg",
        } as const);
    results.push(result);
    if ("error" in result) errors.push(`Leg ${leg.legIndex} (${leg.label}): ${result.error}`);
    else if (result.kind !== "stored") errors.push(`Leg ${leg.legIndex} (${leg.label}): ${result.kind}`);
  }
  return deps.db.transaction().execute(async (trx): Promise<FetchResult> => {
    const rec = await lockRecording(trx, req.recordingId);
    // Deleted (retention) while downloading, taken over by another run after our lease lapsed, or
    // completed by an upload meanwhile (which ends the attempt): what we downloaded is not kept.
    if (!rec || rec.state === "deleted" || rec.attempt_id !== claimed.attemptId) {
      await discardStaged(deps.blobs, results);
      const reason =
        !rec || rec.state === "deleted"
          ? `recording ${rec ? rec.state : "gone"} during the fetch`
          : rec.attempt_id
            ? "the attempt was resumed by another run"
            : `the attempt ended during the fetch (${rec.state})`;
      return { ran: false, reason };
    }
    for (const [i, leg] of legs.entries()) {
      const r = results[i];
      if (leg.stored || r?.kind !== "stored") continue;
      // Into place under the row's lock (an upload of the leg waits for it, see fetcher.ts).
      const placed = await placeLeg(deps.blobs, r.leg);
      results[i] = placed;
      if (placed.kind !== "stored") {
        errors.push(`Leg ${leg.legIndex} (${leg.label}): ${placed.error}`);
        continue;
      }
      const values = {
        label: leg.label,
        storage_key: placed.leg.storageKey,
        format: placed.leg.format,
        size_bytes: String(placed.leg.sizeBytes),
        sha256: placed.leg.sha256,
        sample_rate: placed.leg.sampleRate,
        channels: placed.leg.channels,
        duration_ms: placed.leg.durationMs,
        source_url: leg.url,
      };
      await trx
        .insertInto("recording_legs")
        .values({ recording_id: req.recordingId, leg_index: leg.legIndex, ...values })
        .onConflict((oc) => oc.columns(["recording_id", "leg_index"]).doUpdateSet(values))
        .execute();
    }
    const outcome = legs.length === 0 ? ({ kind: "error" } as const) : combineLegResults(results);
    if (legs.length === 0) errors.push("No recording source is configured (RECORDING_SOURCE_URL)");
    const lastError = errors.length > 0 ? errors.join("; ").slice(0, 2000) : null;
    const finished = transition(
      { ...claimed.row, state: rec.state },
      { type: "attempt_finished", kind: claimed.kind, outcome },
      now(),
    );
    if (!finished.ok) return { ran: false, reason: `outcome not applicable in state ${rec.state}` };
    const durations = results.flatMap((r) =>
      r.kind === "stored" && r.leg.durationMs ? [r.leg.durationMs] : [],
    );
    await trx
      .updateTable("recordings")
      .set({
        state: finished.row.state,
        next_attempt_at: finished.row.nextAttemptAt,
        ...NO_ATTEMPT,
        last_error: finished.row.state === "available" ? null : lastError,
        ...(finished.row.state === "available"
          ? {
              format: results[0]?.kind === "stored" ? results[0].leg.format : null,
              duration_ms: durations.length > 0 ? Math.max(...durations) : null,
            }
          : {}),
        updated_at: now(),
      })
      .where("id", "=", req.recordingId)
      .execute();
    await notifyConversations(trx, [claimed.conversationId]);
    deps.log?.(
      `[recordings] ${claimed.kind} fetch of ${req.recordingId}: ${finished.row.state}${lastError ? ` (${lastError})` : ""}`,
    );
    return { ran: true, kind: claimed.kind, state: finished.row.state, error: lastError };
  });
}
