import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { sql } from "kysely";
import { createDb, type Database } from "../../db/client.ts";
import { migrateToLatest } from "../../db/migrate.ts";
import { seedScale } from "../../db/seed/index.ts";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";
import { type ChildServer, freePort, spawnWeb } from "../../scripts/processes.ts";
import { type ReplicaPair, startReplicaPair } from "../helpers/replica.ts";
import { openTab } from "./support/session.ts";

// DATABASE_READ_URL: a web process (the production build the e2e run made) on Debian's PostgreSQL
// 15 with a streaming replica. With the replica's replay paused, whatever it shows can only have
// come from the replica: the list and search don't show a conversation the primary already has,
// while a user who just changed something sees their change at once (read from the primary), and
// another user does not until the replica replays it.

const SUPERVISOR = "Sam Supervisor";
const ADMIN = "Ada Admin";
const letters = () =>
  randomUUID()
    .replace(/-/g, "")
    .slice(0, 10)
    .replace(/\d/g, (d) => "ghijklmnop"[Number(d)] ?? "x");
const NEW_WORD = `quokka${letters()}`;
const NOTE_WORD = `wombat${letters()}`;

let pair: ReplicaPair;
let primary: Database;
let replica: Database;
let web: ChildServer;
let own: { id: string; session: string };
const blobDir = path.join(os.tmpdir(), `parley-replica-blobs-${process.pid}`);

function chat(sessionId: string, minutesAgo: number, body: string): IngestEvent[] {
  const at = (s: number) => new Date(Date.now() - minutesAgo * 60_000 + s * 1000).toISOString();
  return [
    {
      id: `${sessionId}-start`,
      type: "conversation.started",
      sessionId,
      occurredAt: at(0),
      channel: "voice",
      direction: "inbound",
      language: "en-US",
      customer: { userRef: `usr_${sessionId}`, name: `Replica ${sessionId.slice(-6)}` },
    },
    {
      id: `${sessionId}-m1`,
      type: "message",
      sessionId,
      occurredAt: at(1),
      seq: 1,
      speaker: "customer",
      body,
    },
    { id: `${sessionId}-d`, type: "disposition.set", sessionId, occurredAt: at(50), code: "RESOLVED" },
    { id: `${sessionId}-end`, type: "conversation.ended", sessionId, occurredAt: at(60) },
  ];
}

async function replayState(): Promise<string> {
  const r = await sql<{ state: string }>`select pg_get_wal_replay_pause_state() as state`.execute(replica);
  return r.rows[0]?.state ?? "";
}

test.describe.configure({ mode: "serial" });
test.setTimeout(240_000);

test.beforeAll(async () => {
  test.setTimeout(240_000);
  pair = await startReplicaPair();
  primary = createDb(pair.primaryUrl, { max: 2, application: "e2e-replica" });
  replica = createDb(pair.replicaUrl, { max: 2, application: "e2e-replica" });
  await migrateToLatest(primary);
  const blobs = openBlobStoreAt(blobDir);
  await seedScale(primary, pair.primaryUrl, { seed: 3, conversations: 60, blobs });
  own = { id: "", session: `e2e-replica-own-${letters()}` };
  const result = await ingestEvents(primary, chat(own.session, 30, "My router keeps dropping"));
  expect(result.rejected).toEqual([]);
  own.id = result.conversationIds[0] as string;
  // The replica has caught up with all of that (a positive signal, not a pause).
  await expect
    .poll(
      async () =>
        (await replica.selectFrom("conversations").select("id").where("id", "=", own.id).execute()).length,
      {
        timeout: 30_000,
      },
    )
    .toBe(1);
  web = await spawnWeb(await freePort(), {
    DATABASE_URL: pair.primaryUrl,
    DATABASE_READ_URL: pair.replicaUrl,
    AUTH_SECRET: randomUUID(),
    PARLEY_DEMO_LOGIN: "1",
    PARLEY_DATA_DIR: path.join(os.tmpdir(), `parley-replica-data-${process.pid}`),
  });
});

test.afterAll(async () => {
  await web?.stop();
  await primary?.destroy();
  await replica?.destroy();
  pair?.stop();
  rmSync(blobDir, { recursive: true, force: true });
});

async function signIn(page: Page, name: string) {
  await page.goto(`${web.url}/sign-in`);
  await page.getByRole("button", { name: new RegExp(name) }).click();
  await expect(page).toHaveURL(/\/conversations$/, { timeout: 30_000 });
}

const rows = (page: Page) =>
  page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");

test("list and search read the replica; a user's own change reads the primary at once", async ({
  browser,
}) => {
  const supervisor = await (await browser.newContext()).newPage();
  const admin = await (await browser.newContext()).newPage();
  await signIn(supervisor, SUPERVISOR);
  await signIn(admin, ADMIN);

  await replica.executeQuery(sql`select pg_wal_replay_pause()`.compile(replica));
  await expect.poll(replayState, { timeout: 10_000 }).toBe("paused");

  // On the primary only: a new conversation, newest of all, with a word nobody else has.
  const fresh = await ingestEvents(
    primary,
    chat(`e2e-replica-new-${letters()}`, 1, `My ${NEW_WORD} is broken`),
  );
  expect(fresh.rejected).toEqual([]);
  const freshId = fresh.conversationIds[0] as string;

  // The list's first row is the replica's newest conversation, not the primary's.
  const replicaNewest = await replica
    .selectFrom("conversations")
    .select("id")
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  await supervisor.goto(`${web.url}/conversations`);
  await expect(rows(supervisor).first()).toHaveAttribute("data-conversation-id", replicaNewest.id);
  expect(replicaNewest.id).not.toBe(freshId);
  // Search too: the primary has a match, the page (reading the replica) shows none.
  await supervisor.goto(`${web.url}/conversations?q=${NEW_WORD}`);
  await expect(supervisor.getByText(/No conversations match/i)).toBeVisible();

  // The supervisor changes a disposition note (a server action, on the primary) …
  await supervisor.goto(`${web.url}/conversations?open=${own.id}`);
  const details = await openTab(supervisor, "Details");
  await details.getByRole("button", { name: "Edit Disposition" }).click();
  const dialog = supervisor.getByRole("dialog", { name: "Edit Disposition" });
  await dialog.getByLabel("Disposition").selectOption({ label: "Callback scheduled" });
  await dialog.getByLabel("Note").fill(`Call back about the ${NOTE_WORD}`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  // … and finds it by that note at once, though the replica is still paused.
  expect(await replayState()).toBe("paused");
  await supervisor.goto(`${web.url}/conversations?q=${NOTE_WORD}`);
  await expect(rows(supervisor)).toHaveCount(1);
  await expect(rows(supervisor).first()).toHaveAttribute("data-conversation-id", own.id);

  // Another user reads the replica: not there yet; once replay resumes, it is.
  await admin.goto(`${web.url}/conversations?q=${NOTE_WORD}`);
  await expect(admin.getByText(/No conversations match/i)).toBeVisible();
  await replica.executeQuery(sql`select pg_wal_replay_resume()`.compile(replica));
  await expect(async () => {
    await admin.goto(`${web.url}/conversations?q=${NOTE_WORD}`);
    await expect(rows(admin)).toHaveCount(1, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await supervisor.context().close();
  await admin.context().close();
});
