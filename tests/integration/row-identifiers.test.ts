import { afterAll, beforeAll, expect, it } from "vitest";
import { rowIdentifiersAction } from "../../app/(app)/conversations/_components/identifier-actions.ts";
import { runAction } from "../../lib/auth/action.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";
import { CONVERSATION_NOT_AVAILABLE } from "../../lib/conversations/detail.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertViewer } from "../helpers/users.ts";

// The row menu reads the identifiers it copies when it opens (rowIdentifiersAction): scoped like
// the row itself, so an agent gets their own conversation's identifiers and never another agent's.

let t: TestDatabase;
const users = {} as Record<"supervisor" | "agent" | "otherAgent", Viewer>;
let conversationId: string;

const deps = (viewer: Viewer) => ({
  getViewer: async () => viewer,
  getDb: () => t.db,
  requestContext: async () => ({ ip: "127.0.0.1" }),
});

beforeAll(async () => {
  t = await createTestDatabase();
  for (const [key, role] of [
    ["supervisor", "supervisor"],
    ["agent", "agent"],
    ["otherAgent", "agent"],
  ] as const) {
    users[key] = await insertViewer(t.db, { email: `${key}@ids.test`, name: key, role });
  }
  const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, s)).toISOString();
  const result = await ingestEvents(t.db, [
    {
      id: "ids-s",
      type: "conversation.started",
      sessionId: "ids-session-1",
      occurredAt: at(0),
      channel: "voice",
      direction: "inbound",
      language: "en-US",
    },
    {
      id: "ids-j",
      type: "participant.joined",
      sessionId: "ids-session-1",
      occurredAt: at(1),
      agentEmail: users.agent.email,
    },
  ]);
  expect(result.rejected).toEqual([]);
  conversationId = result.conversationIds[0] as string;
});
afterAll(() => t?.drop());

it("gives the supervisor and the conversation's agent its identifiers, and refuses another agent", async () => {
  for (const viewer of [users.supervisor, users.agent]) {
    const result = await runAction(rowIdentifiersAction.definition, { conversationId }, deps(viewer));
    expect(result).toMatchObject({ ok: true, data: { sessionId: "ids-session-1" } });
  }
  expect(
    await runAction(rowIdentifiersAction.definition, { conversationId }, deps(users.otherAgent)),
  ).toEqual({
    ok: false,
    error: CONVERSATION_NOT_AVAILABLE,
  });
});
