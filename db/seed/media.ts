// Parley's own media state for the demo's conversations, which no platform event carries: how far
// each call's recording fetch got (recordings.ts decides it, as the fetcher would have left it) and
// the agents' screen recordings that never arrived (the desktop app missing, failed, still coming).
import { sql, type Transaction } from "kysely";
import type { DB } from "../types.ts";
import type { Story } from "./conversations.ts";

const CHUNK = 1000;

export async function writeMediaStates(
  trx: Transaction<DB>,
  stories: Story[],
  ids: Map<string, string>,
): Promise<void> {
  const id = (s: Story) => ids.get(s.sessionId) as string;
  const recordings = stories.flatMap((s) =>
    s.recording ? [{ ...s.recording.row, conversation_id: id(s) }] : [],
  );
  for (let i = 0; i < recordings.length; i += CHUNK) {
    const chunk = recordings.slice(i, i + CHUNK);
    // Ingest has made the row (a recorded call gets one when it starts) and its paused spans (from
    // the recording.paused/resumed events): the fetch history takes over the rest.
    // Every column any row sets (an attempt in flight, a failed Retry's time), not only the first's.
    const columns = [...new Set(chunk.flatMap((row) => Object.keys(row)))].filter(
      (c) => c !== "id" && c !== "conversation_id" && c !== "paused_spans",
    );
    await trx
      .insertInto("recordings")
      .values(chunk)
      .onConflict((oc) =>
        oc
          .column("conversation_id")
          .doUpdateSet(Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]))),
      )
      .execute();
  }
  const screens = stories.flatMap((s) =>
    s.screen
      ? [
          {
            id: s.screen.id,
            conversation_id: id(s),
            agent_id: s.screen.agentId,
            state: s.screen.state,
            created_at: new Date(s.screen.at),
          },
        ]
      : [],
  );
  for (let i = 0; i < screens.length; i += CHUNK) {
    await trx
      .insertInto("screen_recordings")
      .values(screens.slice(i, i + CHUNK))
      .execute();
  }
}
