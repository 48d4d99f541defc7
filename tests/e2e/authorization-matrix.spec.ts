import { mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, type Browser, expect, test } from "@playwright/test";
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../db/client.ts";
import type { DB } from "../../db/types.ts";
import { e2eBlobDir } from "../../playwright.config.ts";
import { e2eDb } from "./support/db.ts";
import { diagnosticsConversations } from "./support/diagnostics.ts";
import { PREPARE_WAIT_MS, recordedCalls } from "./support/recordings.ts";

// One table: every page and route handler × every role, with the exact outcome expected of the
// server. A route file that is not in the table fails the first test, so new routes must be added.
type Who = "anonymous" | "agent" | "supervisor" | "admin";
type Outcome =
  | "ok" // 200
  | "sign-in" // redirected to the sign-in page (pages) or 401 (route handlers)
  | "forbidden" // 403
  | "not-found" // 404: the object is outside the viewer's scope, so it "does not exist" for them
  | `redirect:${string}`; // 3xx to this path

type Fixtures = {
  otherAgentId: string;
  /** A finished export of the demo agent's, and one of another agent's. */
  agentExportId: string;
  otherExportId: string;
  /** A conversation the demo agent took part in, and one they did not. */
  agentConversationId: string;
  otherConversationId: string;
  /** Demo calls with a parsed capture: the demo agent's, another agent's; and a chat conversation. */
  agentCallId: string;
  otherCallId: string;
  chatConversationId: string;
  /** Calls with prepared recordings and available screen recordings: the demo agent's and another agent's. */
  recorded: Awaited<ReturnType<typeof recordedCalls>>;
};
type Row = {
  route: string; // the app/ route this row exercises, e.g. "/api/avatars/[userId]"
  request: string | ((f: Fixtures) => string);
  expect: Record<Who, Outcome>;
};

const everyone = (outcome: Outcome, anonymous: Outcome = "sign-in"): Record<Who, Outcome> => ({
  anonymous,
  agent: outcome,
  supervisor: outcome,
  admin: outcome,
});

const MATRIX: Row[] = [
  { route: "/", request: "/", expect: everyone("redirect:/conversations") },
  // Signed-in users have nothing to do on the sign-in page and are sent home.
  { route: "/sign-in", request: "/sign-in", expect: everyone("redirect:/conversations", "ok") },
  { route: "/conversations", request: "/conversations", expect: everyone("ok") },
  { route: "/monitor", request: "/monitor", expect: everyone("ok") },
  // Everyone lists their own exports; a file is served to its requester only (404 to anyone else).
  { route: "/exports", request: "/exports", expect: everyone("ok") },
  {
    route: "/api/exports/[id]/download",
    request: (f) => `/api/exports/${f.agentExportId}/download`,
    expect: { anonymous: "sign-in", agent: "ok", supervisor: "not-found", admin: "not-found" },
  },
  {
    route: "/api/exports/[id]/download",
    request: (f) => `/api/exports/${f.otherExportId}/download`,
    expect: everyone("not-found"),
  },
  {
    route: "/api/exports/[id]/download",
    request: "/api/exports/not-a-uuid/download",
    expect: everyone("not-found"),
  },
  // The admin console (users, settings, API keys, audit log and its CSV download) is for admins only.
  ...[
    "/admin",
    "/admin/settings",
    "/admin/api-keys",
    "/admin/webhooks",
    "/admin/audit",
    "/admin/outbox",
    "/api/admin/audit.csv",
  ].map((route) => ({
    route,
    request: route,
    expect: { anonymous: "sign-in", agent: "forbidden", supervisor: "forbidden", admin: "ok" } as const,
  })),
  { route: "/api/health", request: "/api/health", expect: everyone("ok", "ok") },
  // Readiness, for load balancers: public like liveness (it names no data).
  { route: "/api/health/ready", request: "/api/health/ready", expect: everyone("ok", "ok") },
  { route: "/api/auth/[...nextauth]", request: "/api/auth/providers", expect: everyone("ok", "ok") },
  // Colleagues' pictures are visible to every signed-in user, never to anonymous visitors.
  {
    route: "/api/avatars/[userId]",
    request: (f) => `/api/avatars/${f.otherAgentId}`,
    expect: everyone("ok"),
  },
  { route: "/api/avatars/[userId]", request: "/api/avatars/not-a-uuid", expect: everyone("not-found") },
  // The live feed (server-sent events) for signed-in users; ?probe=1 answers at once with the same
  // checks, since a GET here would otherwise wait on a stream that never ends.
  { route: "/api/live", request: "/api/live?probe=1", expect: everyone("ok") },
  // A transcript download follows the conversation scope: outside it, the conversation "does not exist".
  {
    route: "/api/conversations/[id]/transcript",
    request: (f) => `/api/conversations/${f.agentConversationId}/transcript`,
    expect: everyone("ok"),
  },
  {
    route: "/api/conversations/[id]/transcript",
    request: (f) => `/api/conversations/${f.otherConversationId}/transcript`,
    expect: { anonymous: "sign-in", agent: "not-found", supervisor: "ok", admin: "ok" },
  },
  {
    route: "/api/conversations/[id]/transcript",
    request: "/api/conversations/not-a-uuid/transcript",
    expect: everyone("not-found"),
  },
  // The printable transcript follows the conversation scope too.
  {
    route: "/print/transcript/[id]",
    request: (f) => `/print/transcript/${f.agentConversationId}`,
    expect: everyone("ok"),
  },
  {
    route: "/print/transcript/[id]",
    request: (f) => `/print/transcript/${f.otherConversationId}`,
    expect: { anonymous: "sign-in", agent: "not-found", supervisor: "ok", admin: "ok" },
  },
  {
    route: "/print/transcript/[id]",
    request: "/print/transcript/not-a-uuid",
    expect: everyone("not-found"),
  },
  // Diagnostics (page and exports) exist for calls only, and follow the conversation scope.
  {
    route: "/diagnostics/[id]",
    request: (f) => `/diagnostics/${f.agentCallId}`,
    expect: everyone("ok"),
  },
  {
    route: "/diagnostics/[id]",
    request: (f) => `/diagnostics/${f.otherCallId}`,
    expect: { anonymous: "sign-in", agent: "not-found", supervisor: "ok", admin: "ok" },
  },
  {
    route: "/diagnostics/[id]",
    request: (f) => `/diagnostics/${f.chatConversationId}`,
    expect: everyone("not-found"),
  },
  ...["pcap", "text"].flatMap((format) => [
    {
      route: "/api/conversations/[id]/diagnostics/[format]",
      request: (f: Fixtures) => `/api/conversations/${f.agentCallId}/diagnostics/${format}`,
      expect: everyone("ok"),
    },
    {
      route: "/api/conversations/[id]/diagnostics/[format]",
      request: (f: Fixtures) => `/api/conversations/${f.otherCallId}/diagnostics/${format}`,
      expect: { anonymous: "sign-in", agent: "not-found", supervisor: "ok", admin: "ok" } as const,
    },
  ]),
  {
    route: "/api/conversations/[id]/diagnostics/[format]",
    request: (f) => `/api/conversations/${f.chatConversationId}/diagnostics/pcap`,
    expect: everyone("not-found"),
  },
  {
    route: "/api/conversations/[id]/diagnostics/[format]",
    request: (f) => `/api/conversations/${f.agentCallId}/diagnostics/wav`,
    expect: everyone("not-found"),
  },
  // The API documentation page is for signed-in staff; the OpenAPI document itself is public.
  { route: "/api-docs", request: "/api-docs", expect: everyone("ok") },
  { route: "/api/v1/openapi.json", request: "/api/v1/openapi.json", expect: everyone("ok", "ok") },
  // The versioned API takes API keys, never sessions: a signed-in user without a key gets 401 too.
  { route: "/api/v1/events", request: "/api/v1/events", expect: everyone("sign-in") },
  { route: "/api/v1/conversations", request: "/api/v1/conversations", expect: everyone("sign-in") },
  {
    route: "/api/v1/conversations/[id]",
    request: "/api/v1/conversations/any-session",
    expect: everyone("sign-in"),
  },
  // Upload endpoints are POST-only: a GET checks the key first (401 here), then answers 405.
  {
    route: "/api/v1/conversations/[id]/recording-legs",
    request: "/api/v1/conversations/any-session/recording-legs",
    expect: everyone("sign-in"),
  },
  {
    route: "/api/v1/conversations/[id]/screen-recordings",
    request: "/api/v1/conversations/any-session/screen-recordings",
    expect: everyone("sign-in"),
  },
  {
    route: "/api/v1/conversations/[id]/captures",
    request: "/api/v1/conversations/any-session/captures",
    expect: everyone("sign-in"),
  },
  // Recordings: playback, waveform, every download and file URL follow the conversation scope, and
  // screen recordings are the agent's own (supervisors and admins: all). Outside it: 404.
  ...["audio", "peaks", "files/merged.flac"].flatMap((file): Row[] => {
    const route = `/api/conversations/[id]/recording/${file.startsWith("files/") ? "files/[variant]" : file}`;
    return [
      {
        route,
        request: (f) => `/api/conversations/${f.recorded.own.conversationId}/recording/${file}`,
        expect: everyone("ok"),
      },
      {
        route,
        request: (f) => `/api/conversations/${f.recorded.other.conversationId}/recording/${file}`,
        expect: { anonymous: "sign-in", agent: "not-found", supervisor: "ok", admin: "ok" },
      },
      { route, request: `/api/conversations/not-a-uuid/recording/${file}`, expect: everyone("not-found") },
    ];
  }),
  {
    route: "/api/conversations/[id]/screen-recordings/[agentId]",
    request: (f) =>
      `/api/conversations/${f.recorded.own.conversationId}/screen-recordings/${f.recorded.own.agentId}`,
    expect: everyone("ok"),
  },
  {
    route: "/api/conversations/[id]/screen-recordings/[agentId]",
    request: (f) =>
      `/api/conversations/${f.recorded.other.conversationId}/screen-recordings/${f.recorded.other.agentId}`,
    expect: { anonymous: "sign-in", agent: "not-found", supervisor: "ok", admin: "ok" },
  },
];

const ACCOUNTS: Record<Exclude<Who, "anonymous">, string> = {
  agent: "Alex Agent",
  supervisor: "Sam Supervisor",
  admin: "Ada Admin",
};

/** Every route the app defines: app/**\/page.tsx and route.ts, with route groups removed. */
function appRoutes(): string[] {
  const root = path.resolve("app");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) {
        if (!name.startsWith("_")) walk(abs); // _components etc. are private folders
      } else if (/^(page\.tsx|route\.ts)$/.test(name)) {
        const segments = path
          .relative(root, dir)
          .split(path.sep)
          .filter((s) => s && !/^\(.*\)$/.test(s));
        found.push(`/${segments.join("/")}`);
      }
    }
  };
  walk(root);
  return [...new Set(found)].sort();
}

async function signedInRequest(browser: Browser, baseURL: string, name: string): Promise<APIRequestContext> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await expect(page).toHaveURL(/\/conversations$/);
  return context.request;
}

async function outcomeOf(request: APIRequestContext, url: string): Promise<Outcome> {
  const res = await request.get(url, { maxRedirects: 0 });
  const status = res.status();
  if (status >= 300 && status < 400) {
    const location = new URL(res.headers().location ?? "", "http://x");
    return location.pathname === "/sign-in" ? "sign-in" : `redirect:${location.pathname}`;
  }
  return (
    ({ 200: "ok", 401: "sign-in", 403: "forbidden", 404: "not-found" } as const)[status as 200] ?? `${status}`
  );
}

test("every route in app/ is in the authorization matrix", () => {
  const covered = new Set(MATRIX.map((row) => row.route));
  expect(appRoutes().filter((route) => !covered.has(route))).toEqual([]);
  expect([...covered].filter((route) => !appRoutes().includes(route))).toEqual([]);
});

test("each role gets exactly the access the matrix gives it", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(PREPARE_WAIT_MS + 90_000);
  const base = baseURL ?? "";
  const clients: Record<Who, APIRequestContext> = {
    anonymous: await playwright.request.newContext({ baseURL: base }),
    agent: await signedInRequest(browser, base, ACCOUNTS.agent),
    supervisor: await signedInRequest(browser, base, ACCOUNTS.supervisor),
    admin: await signedInRequest(browser, base, ACCOUNTS.admin),
  };
  const fixtures = await loadFixtures();
  const actual: string[] = [];
  const expected: string[] = [];
  for (const row of MATRIX) {
    const url = typeof row.request === "function" ? row.request(fixtures) : row.request;
    for (const who of Object.keys(row.expect) as Who[]) {
      expected.push(`${who.padEnd(10)} GET ${url} → ${row.expect[who]}`);
      actual.push(`${who.padEnd(10)} GET ${url} → ${await outcomeOf(clients[who], url)}`);
    }
  }
  expect(actual).toEqual(expected);
});

/** A finished conversation-data export of `userId`'s holding one conversation, its file in the blob store. */
async function finishedExport(db: Database, userId: string, conversationId: string): Promise<string> {
  const row = await db
    .insertInto("exports")
    .values({
      requested_by: userId,
      kind: "conversation_data",
      selection: JSON.stringify({ ids: [conversationId] }),
      status: "succeeded",
      file_name: "conversations-matrix.csv",
      scope: "joined",
      conversation_count: 1,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const fileKey = `exports/${row.id}/conversations-matrix.csv`;
  mkdirSync(path.dirname(path.join(e2eBlobDir, fileKey)), { recursive: true });
  writeFileSync(path.join(e2eBlobDir, fileKey), "conversation_id\r\n");
  await db.updateTable("exports").set({ file_key: fileKey }).where("id", "=", row.id).execute();
  await db
    .insertInto("export_items")
    .values({ export_id: row.id, conversation_id: conversationId })
    .execute();
  return row.id;
}

/** Ids the rows need: another agent than the signed-in demo agent, conversations in and out of their scope. */
async function loadFixtures(): Promise<Fixtures> {
  const db = e2eDb();
  try {
    const other = await db
      .selectFrom("users")
      .select("id")
      .where("role", "=", "agent")
      .where("email", "!=", "agent@parley.demo")
      .orderBy("email")
      .executeTakeFirstOrThrow();
    const joinedByDemoAgent = (eb: ExpressionBuilder<DB, "conversations">) =>
      eb.exists(
        eb
          .selectFrom("conversation_participants as p")
          .innerJoin("users as u", "u.id", "p.user_id")
          .select("p.id")
          .whereRef("p.conversation_id", "=", "conversations.id")
          .where("u.email", "=", "agent@parley.demo"),
      );
    const conversation = (joined: boolean) =>
      db
        .selectFrom("conversations")
        .select("id")
        .where((eb) => (joined ? joinedByDemoAgent(eb) : eb.not(joinedByDemoAgent(eb))))
        .orderBy("started_at", "desc")
        .executeTakeFirstOrThrow();
    const calls = await diagnosticsConversations(db);
    const agentConversationId = (await conversation(true)).id;
    const demoAgent = await db
      .selectFrom("users")
      .select("id")
      .where("email", "=", "agent@parley.demo")
      .executeTakeFirstOrThrow();
    return {
      otherAgentId: other.id,
      agentExportId: await finishedExport(db, demoAgent.id, agentConversationId),
      otherExportId: await finishedExport(db, other.id, agentConversationId),
      agentConversationId,
      otherConversationId: (await conversation(false)).id,
      agentCallId: calls.agentCall,
      otherCallId: calls.otherCall,
      chatConversationId: calls.chat,
      recorded: await recordedCalls(db),
    };
  } finally {
    await db.destroy();
  }
}
