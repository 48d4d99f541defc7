import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { sql } from "kysely";
import { e2eBlobDir } from "../../playwright.config.ts";
import { e2eDb } from "./support/db.ts";
import { signInAs } from "./support/session.ts";

// Recording states on the transcript tab, in the running app (web + worker). Setup picks demo
// calls nobody else's spec uses (the oldest ended ones without audio) and puts their recordings in
// the state under test; everything asserted is what the app shows and does.
test.describe.configure({ mode: "serial" });

const SUPERVISOR = "Sam Supervisor";
const ADMIN = "Ada Admin";

let failedCall: string;
let deletedCall: string;
let disabledCall: string;
let screenOnlyCall: string;

test.beforeAll(async () => {
  const db = e2eDb();
  try {
    // Oldest first: the list specs read the newest rows, the panel specs pick recent calls.
    const calls = await db
      .selectFrom("recordings as r")
      .innerJoin("conversations as c", "c.id", "r.conversation_id")
      .select(["c.id", "r.id as recordingId"])
      .where("c.channel", "=", "voice")
      .where("c.ended_at", "is not", null)
      .where(sql<boolean>`not exists (select 1 from recording_legs l where l.recording_id = r.id)`)
      .orderBy("c.started_at")
      .limit(2)
      .execute();
    const [failed, deleted] = calls;
    if (!failed || !deleted) throw new Error("the demo data has no ended calls without audio");
    failedCall = failed.id;
    deletedCall = deleted.id;
    // The first fetch failed; no background attempt is due while the test runs.
    await db
      .updateTable("recordings")
      .set({
        state: "initial_fetch_failed",
        manual_retry_at: null,
        next_attempt_at: new Date(Date.now() + 3_600_000),
      })
      .where("id", "=", failed.recordingId)
      .execute();
    // What retention leaves behind: a tombstone.
    await db
      .updateTable("recordings")
      .set({ state: "deleted", deleted_at: new Date(), deleted_reason: "retention", next_attempt_at: null })
      .where("id", "=", deleted.recordingId)
      .execute();
    disabledCall = (
      await db
        .selectFrom("conversations")
        .select("id")
        .where("channel", "=", "voice")
        .where("recording_enabled", "=", false)
        .orderBy("started_at")
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
    // Recorded on screen only: call recording off, and an agent's screen recording uploaded.
    const screenOnly = await db
      .selectFrom("conversations as c")
      .innerJoin("conversation_participants as p", "p.conversation_id", "c.id")
      .innerJoin("users as u", "u.id", "p.user_id")
      .select(["c.id", "p.user_id as agentId"])
      .where("c.channel", "=", "voice")
      .where("c.recording_enabled", "=", false)
      .where("c.ended_at", "is not", null)
      .where("c.id", "!=", disabledCall)
      .where("u.role", "=", "agent")
      .where(sql<boolean>`not exists (select 1 from screen_recordings s where s.conversation_id = c.id)`)
      .orderBy("c.started_at")
      .limit(1)
      .executeTakeFirstOrThrow();
    screenOnlyCall = screenOnly.id;
    const key = `screen-recordings/${screenOnly.id}/${screenOnly.agentId}.webm`;
    mkdirSync(path.dirname(path.join(e2eBlobDir, key)), { recursive: true });
    copyFileSync(
      new URL("../../db/seed/assets/screen-recording.webm", import.meta.url),
      path.join(e2eBlobDir, key),
    );
    await db
      .insertInto("screen_recordings")
      .values({
        conversation_id: screenOnly.id,
        agent_id: screenOnly.agentId,
        state: "available",
        storage_key: key,
        available_at: new Date(Date.now() - 60_000),
      })
      .execute();
  } finally {
    await db.destroy();
  }
});

const status = (page: Page) => page.getByTestId("recording-status");

test("a failed fetch says so and offers Retry; a failed Retry asks to wait 15 minutes", async ({ page }) => {
  // The Retry goes through the web process's first pg-boss start and a worker job: slow on a
  // loaded machine, so this test gets more time (nothing here asserts a duration).
  test.slow();
  await signInAs(page, SUPERVISOR);
  await page.goto(`/conversations?open=${failedCall}`);
  await expect(status(page).getByTestId("recording-message")).toHaveText(
    "We couldn't load the call recording. Please try again.",
  );
  await status(page).getByRole("button", { name: "Retry" }).click();
  // The worker fetches at once; this instance's recording server is down (RECORDING_SOURCE_URL in
  // playwright.config.ts), so the retry fails, and the live feed brings the new state to the page.
  await expect(status(page).getByTestId("recording-message")).toHaveText(
    "Still unable to fetch the recording. Please try again after 15 minutes.",
    { timeout: 45_000 },
  );
  await expect(status(page).getByRole("button", { name: "Retry" })).toBeDisabled();
  await expect(status(page).getByText(/Retry again after/)).toBeVisible();
});

test("a recording deleted by retention shows the retention message, without Retry", async ({ page }) => {
  await signInAs(page, SUPERVISOR);
  await page.goto(`/conversations?open=${deletedCall}`);
  await expect(status(page).getByTestId("recording-message")).toHaveText(
    "Recording not available. It may have been deleted as per your data retention policy.",
  );
  await expect(status(page).getByRole("button", { name: "Retry" })).toHaveCount(0);
});

test("an admin places and releases a legal hold, and the audit log records both", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`/conversations?open=${failedCall}`);
  const hold = status(page).getByTestId("legal-hold");
  await expect(hold).toHaveText(/Place legal hold/);
  await hold.click();
  await expect(hold).toHaveText(/Release legal hold/);
  await expect(hold).toHaveAttribute("aria-pressed", "true");
  await hold.click();
  await status(page).getByRole("button", { name: "Release", exact: true }).click(); // asked first
  await expect(hold).toHaveText(/Place legal hold/);
  await page.goto("/admin/audit?action=recording.legal-hold.place");
  await expect(page.getByRole("cell", { name: "recording.legal-hold.place" }).first()).toBeVisible();
});

test("a call recorded with recording disabled says so on the transcript tab", async ({ page }) => {
  await signInAs(page, SUPERVISOR);
  await page.goto(`/conversations?open=${disabledCall}`);
  await expect(page.getByTestId("recording-disabled")).toHaveText(
    "Call recording is disabled for this conversation.",
  );
});

test("a call recorded on screen only can be held too: its screen recording is kept", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`/conversations?open=${screenOnlyCall}`);
  await expect(page.getByTestId("recording-disabled")).toHaveText(
    "Call recording is disabled for this conversation.",
  );
  const hold = page.getByTestId("legal-hold");
  await expect(hold).toHaveText(/Place legal hold/);
  await hold.click();
  await expect(hold).toHaveText(/Release legal hold/);
  await expect(hold).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(hold).toHaveText(/Release legal hold/); // stored, not just pressed
  await hold.click();
  await page.getByRole("button", { name: "Release", exact: true }).click(); // asked first
  await expect(hold).toHaveText(/Place legal hold/);
  await page.goto("/admin/audit?action=screen-recording.legal-hold.release");
  await expect(page.getByRole("cell", { name: "screen-recording.legal-hold.release" }).first()).toBeVisible();
});

test("the admin settings page previews deletions and the outbox is reachable", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto("/admin/settings");
  await expect(page.getByTestId("retention-preview")).toContainText("Upcoming deletions");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Outbox" }).click();
  await expect(page.getByText(/No SMTP server is configured/)).toBeVisible();
});
