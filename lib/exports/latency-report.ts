import { sql } from "kysely";
import type { Database } from "../../db/client.ts";
import { type Latencies, latenciesOfRow, summarizeLatencies } from "../conversations/latency.ts";

// Download Latency Report: per voice turn the four latencies of the spec's formulas (ASR, Bot, TTS,
// End-to-End) in ms, sign kept (a clock skew between platform components shows as a negative value
// instead of being hidden), then p50 and p90 of each over the conversation's measured turns
// (summarizeLatencies: PostgreSQL's percentile_cont definition).

/** The Call Control Parameters that make a conversation's latency report available (product spec). */
export const LATENCY_REPORT_PARAMETERS = { notifySttLatency: "true", vadEnable: "true", vadVendor: "silero" };

/** The ids among `ids` whose call control parameters enable the latency report. */
export async function latencyReportEligible(db: Database, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const entries = Object.entries(LATENCY_REPORT_PARAMETERS);
  const rows = await db
    .selectFrom("call_control_parameters")
    .select("conversation_id")
    .where("conversation_id", "in", ids)
    .where((eb) =>
      eb.or(
        entries.map(([name, value]) => eb.and([eb("name", "=", name), eb(sql`lower(value)`, "=", value)])),
      ),
    )
    .groupBy("conversation_id")
    .having(sql`count(*)`, "=", entries.length)
    .execute();
  return new Set(rows.map((row) => row.conversation_id));
}

export const LATENCY_REPORT_HEADER = [
  "conversation_id",
  "turn",
  "asr_latency_ms",
  "bot_latency_ms",
  "tts_latency_ms",
  "end_to_end_latency_ms",
];

const KEYS = ["asrMs", "botMs", "ttsMs", "e2eMs"] as const satisfies readonly (keyof Latencies)[];

/** The report's rows for one conversation: one per turn, then "p50" and "p90". Unscoped (worker). */
export async function unsafeLatencyReportRows(
  db: Database,
  conversationId: string,
): Promise<(string | number | null)[][]> {
  const turns = await db
    .selectFrom("latency_turns")
    .selectAll()
    .where("conversation_id", "=", conversationId)
    .orderBy("turn_index")
    .execute();
  const measured = turns.map((turn) => ({ turn: turn.turn_index, latency: latenciesOfRow(turn) }));
  const rows: (string | number | null)[][] = measured.map(({ turn, latency }) => [
    conversationId,
    turn,
    ...KEYS.map((key) => latency[key]),
  ]);
  // percentile_cont interpolates between turns: whole milliseconds, like the per-turn rows.
  const summary = summarizeLatencies(measured.map((m) => m.latency));
  const ms = (value: number | null) => (value === null ? null : Math.round(value));
  rows.push([conversationId, "p50", ...KEYS.map((key) => ms(summary[key].p50))]);
  rows.push([conversationId, "p90", ...KEYS.map((key) => ms(summary[key].p90))]);
  return rows;
}
