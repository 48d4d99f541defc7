import type { Database } from "../../db/client.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";

/**
 * A voice call through ingest (as the platform would send it): started, joined by `agentEmail` if
 * given, and ended `durationMs` later unless `ended` is false. Returns the conversation id.
 */
export async function ingestCall(
  db: Database,
  opts: {
    sessionId: string;
    startedAt: Date;
    durationMs?: number;
    ended?: boolean;
    agentEmail?: string;
    recordingEnabled?: boolean;
    channel?: "voice" | "chat";
  },
): Promise<string> {
  const { sessionId, startedAt } = opts;
  const endedAt = new Date(startedAt.getTime() + (opts.durationMs ?? 60_000));
  const events: unknown[] = [
    {
      id: `${sessionId}-start`,
      type: "conversation.started",
      sessionId,
      occurredAt: startedAt.toISOString(),
      channel: opts.channel ?? "voice",
      direction: "inbound",
      language: "en-US",
      externalCallId: `call-${sessionId}`,
      recordingEnabled: opts.recordingEnabled ?? true,
    },
  ];
  if (opts.agentEmail)
    events.push({
      id: `${sessionId}-join`,
      type: "participant.joined",
      sessionId,
      occurredAt: startedAt.toISOString(),
      agentEmail: opts.agentEmail,
      role: "agent",
    });
  if (opts.ended ?? true)
    events.push({
      id: `${sessionId}-end`,
      type: "conversation.ended",
      sessionId,
      occurredAt: endedAt.toISOString(),
    });
  const result = await ingestEvents(db, events, { atomic: true });
  if (result.rejected.length > 0) throw new Error(JSON.stringify(result.rejected));
  const id = result.conversationIds[0];
  if (!id) throw new Error("no conversation");
  return id;
}
