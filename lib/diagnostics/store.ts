import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { readEnv } from "../config/env.ts";
import type { BlobStore } from "../storage/index.ts";
import { type ParseLimits, parseInThread, type ThreadResult } from "./parse-in-thread.ts";
import { type ParsedCapture, parseCaptureBytes } from "./parsed.ts";
import { CaptureError } from "./pcap.ts";

// Captures are read whole into memory and parsed in a worker thread: this bounds the file; the
// thread's heap limit and deadline bound the parse. A 10-minute G.711 call with RTCP is about
// 15 MB; 200 MB is hours of media, or not a call capture.
export const MAX_CAPTURE_BYTES = 200 * 1024 * 1024;

/** Shown as "The call's capture could not be read: …" (capture-state.tsx). */
export const CAPTURE_MISSING = "Capture file not found in storage";
export const CAPTURE_NOT_PARSED = "Parsing did not finish after several attempts";

export type ParseCaptureResult =
  | { status: "parsed"; messages: number; streams: number; reports: number; warnings: string[] }
  | { status: "failed"; error: string }
  | { status: "skipped"; reason: "no-capture" };

/** How the job parses: in a worker thread with the configured limits (tests and the seed may differ). */
export type CaptureParser = (bytes: Uint8Array) => Promise<ThreadResult>;

export function threadParser(limits: ParseLimits = parseLimits()): CaptureParser {
  return (bytes) => parseInThread(bytes, limits);
}

export function parseLimits(env = readEnv()): ParseLimits {
  return { timeoutMs: env.CAPTURE_PARSE_TIMEOUT_SECONDS * 1000, memoryMb: env.CAPTURE_PARSE_MEMORY_MB };
}

/** The in-process parser (the demo seed's: its captures are its own, small and trusted). */
export const inProcessParser: CaptureParser = async (bytes) => {
  try {
    return { ok: true, parsed: parseCaptureBytes(bytes) };
  } catch (err) {
    return { ok: false, error: err instanceof CaptureError ? err.message : `Parser error: ${String(err)}` };
  }
};

/**
 * Parses a sip_captures row's blob and stores its SIP messages, RTCP packets, media streams and
 * RTCP reports.
 *
 * The parse runs in a worker thread (time and memory limits), outside any transaction; then the
 * capture's rows are deleted and re-inserted in one transaction under a lock on the capture row,
 * which serialises two runs for the same capture (pg-boss delivers at least once; the HEP collector
 * appends and re-queues). A capture that can't be parsed, or exceeds a limit, is recorded as
 * `failed` with the reason (re-running on the same bytes can't help, so the job completes); a
 * missing blob throws, so pg-boss retries (the upload may not have landed yet on a shared store),
 * except on the job's last attempt, where the capture is failed instead of being left pending.
 */
export async function parseCapture(
  db: Database,
  blobs: BlobStore,
  captureId: string,
  log: (line: string) => void = console.warn,
  opts: { lastAttempt?: boolean; parser?: CaptureParser } = {},
): Promise<ParseCaptureResult> {
  const capture = await db
    .selectFrom("sip_captures")
    .select(["storage_key", "size_bytes"])
    .where("id", "=", captureId)
    .executeTakeFirst();
  if (!capture) {
    log(`[diagnostics] capture ${captureId} no longer exists; nothing to do`);
    return { status: "skipped", reason: "no-capture" };
  }
  const settle = (error: string) => db.transaction().execute((trx) => fail(trx, captureId, error));
  if (Number(capture.size_bytes) > MAX_CAPTURE_BYTES) {
    return settle(`Capture is larger than ${MAX_CAPTURE_BYTES / 1024 / 1024} MB`);
  }
  const bytes = await blobs.get(capture.storage_key).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return null;
    throw err;
  });
  if (!bytes) {
    const missing = `Capture file ${capture.storage_key} is missing`;
    if (!opts.lastAttempt) throw new Error(missing);
    log(`[diagnostics] capture ${captureId} failed: ${missing}`);
    return settle(CAPTURE_MISSING);
  }
  const result = await (opts.parser ?? threadParser())(bytes);
  if (!result.ok) {
    log(`[diagnostics] capture ${captureId} failed: ${result.error}`);
    return settle(result.error);
  }
  return db.transaction().execute(async (trx) => {
    const still = await trx
      .selectFrom("sip_captures")
      .select("id")
      .where("id", "=", captureId)
      .forUpdate()
      .executeTakeFirst();
    if (!still) return { status: "skipped", reason: "no-capture" } as const;
    return storeParsed(trx, captureId, result.parsed);
  });
}

/** Replaces a capture's stored rows with a parse's (inside the caller's transaction). */
export async function storeParsed(
  trx: Transaction<DB>,
  captureId: string,
  d: ParsedCapture,
): Promise<ParseCaptureResult> {
  const [result] = await storeParsedMany(trx, [{ captureId, parsed: d }]);
  return result as ParseCaptureResult;
}

/**
 * storeParsed for many captures at once (the demo seed's hundreds of small ones): one statement
 * per table per chunk of rows instead of several per capture.
 */
export async function storeParsedMany(
  trx: Transaction<DB>,
  items: { captureId: string; parsed: ParsedCapture }[],
): Promise<ParseCaptureResult[]> {
  if (!items.length) return [];
  await deleteRows(
    trx,
    items.map((i) => i.captureId),
  );
  const sipRows = items.flatMap(({ captureId, parsed: d }) =>
    d.sip.map((e, i) => ({
      capture_id: captureId,
      seq: i,
      ...wire(e),
      transport: e.transport,
      method: e.method,
      status_code: e.statusCode,
      reason: text(e.reason),
      sip_call_id: text(e.callId),
      cseq: text(e.cseq),
      is_retransmission: e.isRetransmission,
      raw: text(e.raw) ?? "",
    })),
  );
  for (const chunk of chunks(sipRows)) await trx.insertInto("sip_messages").values(chunk).execute();

  const packetRows = items.flatMap(({ captureId, parsed: d }) =>
    d.rtcpPackets.map((e) => ({
      capture_id: captureId,
      ...wire(e),
      sip_call_id: text(e.callId),
      label: text(e.label) ?? "",
      detail: text(e.detail) ?? "",
    })),
  );
  for (const chunk of chunks(packetRows)) await trx.insertInto("rtcp_packets").values(chunk).execute();

  const streamRows = items.flatMap(({ captureId, parsed: d }) =>
    d.streams.map(({ stream: s, capture: c }) => ({
      capture_id: captureId,
      ssrc: s.ssrc,
      src_ip: s.src,
      src_port: s.srcPort,
      dst_ip: s.dst,
      dst_port: s.dstPort,
      sip_call_id: text(s.callId),
      payload_type: s.payloadType,
      codec: text(s.codec),
      clock_rate: s.clockRate,
      first_at: exactTime(s.firstUs),
      last_at: exactTime(s.lastUs),
      packets: c.packets,
      octets: c.octets,
      expected_packets: c.expected,
      lost_packets: c.lost,
      ext_highest_seq: s.extHighestSeq,
      mean_jitter_ms: c.meanJitterMs,
      max_jitter_ms: c.maxJitterMs,
    })),
  );
  for (const chunk of chunks(streamRows)) await trx.insertInto("media_streams").values(chunk).execute();

  const reportRows = items.flatMap(({ captureId, parsed: d }) =>
    d.rtcpReports.map((r) => ({
      capture_id: captureId,
      ...wire(r),
      sip_call_id: text(r.callId),
      packet_type: r.packetType,
      reporter_ssrc: r.reporterSsrc,
      source_ssrc: r.sourceSsrc,
      sender_packets: r.senderPackets,
      sender_octets: r.senderOctets,
      highest_seq: r.highestSeq,
      jitter_units: r.jitterUnits,
      jitter_ms: r.jitterMs,
      fraction_lost: r.fractionLost,
      cumulative_lost: r.cumulativeLost,
      lsr: r.lsr,
      dlsr: r.dlsr,
      rtt_ms: r.rttMs,
      mos: r.mos,
    })),
  );
  for (const chunk of chunks(reportRows)) await trx.insertInto("rtcp_reports").values(chunk).execute();

  const results: ParseCaptureResult[] = [];
  for (const { captureId, parsed: d } of items) {
    const firstCall = d.calls[0];
    await trx
      .updateTable("sip_captures")
      .set({
        state: "parsed",
        error: null,
        parsed_at: new Date(),
        format: d.format, // what the file is, whatever the uploader called it
        call_setup_ms: firstCall?.callSetupMs ?? null,
        post_dial_delay_ms: firstCall?.postDialDelayMs ?? null,
        warnings: d.warnings.map((w) => text(w) ?? ""),
      })
      .where("id", "=", captureId)
      .execute();
    results.push({
      status: "parsed",
      messages: d.sip.length,
      streams: d.streams.length,
      reports: d.rtcpReports.length,
      warnings: d.warnings,
    });
  }
  return results;
}

/** Where and when a message or report was captured, as the stored rows keep it. */
function wire(e: {
  frame: number;
  timeUs: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}) {
  return {
    frame: e.frame,
    captured_at: exactTime(e.timeUs),
    src_ip: e.src,
    src_port: e.srcPort,
    dst_ip: e.dst,
    dst_port: e.dstPort,
  };
}

async function deleteRows(trx: Transaction<DB>, captureIds: string[]) {
  await trx.deleteFrom("sip_messages").where("capture_id", "in", captureIds).execute();
  await trx.deleteFrom("rtcp_packets").where("capture_id", "in", captureIds).execute();
  await trx.deleteFrom("media_streams").where("capture_id", "in", captureIds).execute();
  await trx.deleteFrom("rtcp_reports").where("capture_id", "in", captureIds).execute();
}

/**
 * The parse job ran out of attempts without settling the capture (the worker killed or out of
 * memory, the job expired, a database error on the last attempt): a capture still pending fails,
 * so the Diagnostics panel stops waiting. One that was parsed or failed meanwhile is left alone.
 */
export async function failUnparsedCapture(db: Database, captureId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The row lock waits for a parse still running somewhere (an expired job's worker may live on).
    const pending = await trx
      .selectFrom("sip_captures")
      .select("id")
      .where("id", "=", captureId)
      .where("state", "=", "pending")
      .forUpdate()
      .executeTakeFirst();
    if (pending) await fail(trx, captureId, CAPTURE_NOT_PARSED);
  });
}

async function fail(trx: Transaction<DB>, captureId: string, error: string): Promise<ParseCaptureResult> {
  // A failed parse leaves no half-results from an earlier successful one behind.
  await deleteRows(trx, [captureId]);
  await trx
    .updateTable("sip_captures")
    .set({
      state: "failed",
      error,
      parsed_at: new Date(),
      call_setup_ms: null,
      post_dial_delay_ms: null,
      warnings: [],
    })
    .where("id", "=", captureId)
    .execute();
  return { status: "failed", error };
}

/**
 * A capture time with its microseconds: a JavaScript Date would drop them, and the ladder's deltas
 * and the spec's µs timestamps need them. Integer arithmetic in SQL, so nothing is rounded.
 */
function exactTime(timeUs: number): RawBuilder<Date> {
  return sql<Date>`timestamptz 'epoch' + ${Math.trunc(timeUs)}::bigint * interval '1 microsecond'`;
}

/** PostgreSQL text can't hold NUL; a damaged capture can. */
function text(s: string | null): string | null {
  return s === null ? null : s.replaceAll("\u0000", "\uFFFD");
}

// Bounded statements: PostgreSQL takes at most 65535 parameters per statement.
function* chunks<T>(rows: T[], size = 1000): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
