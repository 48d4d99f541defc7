import type { Database } from "../../db/client.ts";
import type { ScreenRecordingState } from "../../db/types.ts";
import { can } from "../auth/permissions.ts";
import { conversationScope, type UserViewer } from "../auth/scope.ts";
import { isUuid } from "../db-ranges.ts";
import { buildLapsed } from "./artifacts.ts";
import { sourceHash } from "./media.ts";
import { spansAreCut } from "./timeline.ts";

// Reads behind the player, the waveform, every recording download and screen recording: one rule
// for all of them. Supervisors and admins reach every recording; agents only those of conversations
// they took part in (the conversation scope), and only their own screen recordings. Anything else
// reads as missing, like an unknown id.

export const RECORDING_NOT_AVAILABLE = "This recording is not available.";

/** The conversation's recording and its stored legs, when the viewer may hear it; else null. */
export async function getRecordingForViewer(db: Database, viewer: UserViewer, conversationId: string) {
  if (!isUuid(conversationId) || !can(viewer.role, "recordings:read")) return null;
  const recording = await db
    .selectFrom("conversations")
    .innerJoin("recordings as r", "r.conversation_id", "conversations.id")
    .where("conversations.id", "=", conversationId)
    .where(conversationScope(viewer))
    .select([
      "r.id",
      "r.state",
      "r.duration_ms as durationMs",
      "r.peaks_key as peaksKey",
      "r.paused_spans as pausedSpans",
      "r.deleted_at as deletedAt",
      "conversations.id as conversationId",
      "conversations.started_at as startedAt",
      "conversations.ended_at as endedAt",
    ])
    .executeTakeFirst();
  if (!recording) return null;
  const legs = await db
    .selectFrom("recording_legs")
    .select(["leg_index as legIndex", "label", "sha256", "format"])
    .where("recording_id", "=", recording.id)
    .where("storage_key", "is not", null)
    .orderBy("leg_index")
    .execute();
  return { ...recording, legs, hash: legs.length ? sourceHash(legs) : null };
}

export type ScopedRecording = NonNullable<Awaited<ReturnType<typeof getRecordingForViewer>>>;

/** The recording's playable state: `available` with stored legs and not deleted. */
export const isPlayable = (r: ScopedRecording) => r.state === "available" && !r.deletedAt && r.hash !== null;

/** The artifact of `variant` for the recording's current legs; `lapsed`: running, but its worker died. */
export async function getArtifact(db: Database, recording: ScopedRecording, variant: string) {
  if (!recording.hash) return null;
  return (
    (await db
      .selectFrom("recording_artifacts")
      .selectAll()
      .select(buildLapsed.as("lapsed"))
      .where("recording_id", "=", recording.id)
      .where("variant", "=", variant)
      .where("source_hash", "=", recording.hash)
      .executeTakeFirst()) ?? null
  );
}

type PausedSpan = { startMs: number; endMs: number; reason: "hold" | "pause" };

function pausedSpansOf(value: unknown): PausedSpan[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s) =>
    s && typeof s.startMs === "number" && typeof s.endMs === "number" && s.endMs > s.startMs
      ? [
          {
            startMs: s.startMs,
            endMs: s.endMs,
            reason: s.reason === "pause" ? ("pause" as const) : ("hold" as const),
          },
        ]
      : [],
  );
}

export type PlayerData = {
  conversationId: string;
  startedAt: string;
  durationMs: number | null;
  legs: { legIndex: number; label: string }[];
  pausedSpans: PausedSpan[];
  /** Whether those spans were cut out of the audio (else they are silence in it). */
  spansCut: boolean;
  /** Voice turns, as conversation offsets: where the user stopped speaking and the End-to-End latency. */
  latencyTurns: { atMs: number; e2eMs: number }[];
};

/** What the player needs, or null when the viewer may not hear this recording or it cannot play. */
export async function getPlayerData(
  db: Database,
  viewer: UserViewer,
  conversationId: string,
): Promise<PlayerData | null> {
  const recording = await getRecordingForViewer(db, viewer, conversationId);
  if (!recording || !isPlayable(recording)) return null;
  const turns = await db
    .selectFrom("latency_turns")
    .select(["user_stopped_speaking_at as stop", "first_audio_heard_at as heard"])
    .where("conversation_id", "=", conversationId)
    .where("user_stopped_speaking_at", "is not", null)
    .orderBy("turn_index")
    .execute();
  const start = recording.startedAt.getTime();
  const spans = pausedSpansOf(recording.pausedSpans);
  const callMs = recording.endedAt ? recording.endedAt.getTime() - start : null;
  return {
    conversationId,
    startedAt: recording.startedAt.toISOString(),
    durationMs: recording.durationMs,
    legs: recording.legs.map((l) => ({ legIndex: l.legIndex, label: l.label })),
    pausedSpans: spans,
    spansCut:
      callMs !== null && recording.durationMs !== null && spansAreCut(spans, callMs, recording.durationMs),
    latencyTurns: turns.flatMap((t) =>
      t.stop && t.heard
        ? [{ atMs: t.stop.getTime() - start, e2eMs: t.heard.getTime() - t.stop.getTime() }]
        : [],
    ),
  };
}

export type ScreenRecordingView = {
  agentId: string;
  agentName: string;
  /** The spec's status, with "available" held back until the file is (about 10 minutes after the call). */
  status: ScreenRecordingState;
};

/** Screen recordings of the conversation the viewer may see: all for supervisors, their own for agents. */
export async function listScreenRecordings(
  db: Database,
  viewer: UserViewer,
  conversationId: string,
  now = new Date(),
): Promise<ScreenRecordingView[]> {
  if (!isUuid(conversationId) || !can(viewer.role, "recordings:read")) return [];
  const ownOnly = !can(viewer.role, "conversations:read-all");
  const rows = await db
    .selectFrom("screen_recordings as s")
    .innerJoin("conversations", "conversations.id", "s.conversation_id")
    .innerJoin("users as u", "u.id", "s.agent_id")
    .where("s.conversation_id", "=", conversationId)
    .where(conversationScope(viewer))
    .$if(ownOnly, (q) => q.where("s.agent_id", "=", viewer.id))
    .select([
      "s.agent_id as agentId",
      "u.name as agentName",
      "s.state",
      "s.available_at as availableAt",
      "s.deleted_at as deletedAt",
    ])
    .orderBy("u.name")
    .execute();
  return rows.map((r) => ({
    agentId: r.agentId,
    agentName: r.agentName,
    status: r.deletedAt
      ? "deleted"
      : r.state === "available" && r.availableAt && r.availableAt > now
        ? "generating"
        : r.state,
  }));
}

/** The stored screen recording file of one agent, when the viewer may download it. */
export async function getScreenRecordingFile(
  db: Database,
  viewer: UserViewer,
  conversationId: string,
  agentId: string,
  now = new Date(),
) {
  if (!isUuid(agentId)) return null;
  const visible = await listScreenRecordings(db, viewer, conversationId, now);
  if (!visible.some((r) => r.agentId === agentId && r.status === "available")) return null;
  return (
    (await db
      .selectFrom("screen_recordings")
      .select(["storage_key as storageKey", "size_bytes as sizeBytes"])
      .where("conversation_id", "=", conversationId)
      .where("agent_id", "=", agentId)
      .where("state", "=", "available")
      .where("deleted_at", "is", null)
      .where("storage_key", "is not", null)
      .orderBy("created_at", "desc")
      .executeTakeFirst()) ?? null
  );
}
