import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "@playwright/test";
import {
  EVENTS_PERIODIC_NOTE,
  EVENTS_TOO_OLD,
  LATENCY_REPORT_UNAVAILABLE,
  TOO_MANY_TRANSCRIPTS,
} from "../../lib/exports/kinds.ts";
import { latencyReportEligible } from "../../lib/exports/latency-report.ts";
import { readCsv, readZip } from "../helpers/exports.ts";
import { e2eDb } from "./support/db.ts";
import { hoverForTooltip, signInAs } from "./support/session.ts";

// Exports from the Conversations list, signed in the real way: the file is built by the worker and
// downloads by itself; disabled items say why. Withholding exports from agents (an instance-wide
// setting) is exports-permission.spec.ts, in an ordered project.
const SUPERVISOR = "Sam Supervisor";

/** Signed in (tests/e2e/support/session.ts), rows rendered and the live stream open (hydrated). */
async function signedIn(page: Page, name: string) {
  await signInAs(page, name);
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
}

const rows = (page: Page) =>
  page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");
const rowIds = async (page: Page) =>
  (await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-conversation-id")))) as string[];
const select = (page: Page, id: string) =>
  page.locator(`[data-conversation-id="${id}"]`).locator("input[data-row-checkbox]").check();
const menuItem = (page: Page, name: string | RegExp) =>
  page.getByRole("menu").getByRole("menuitem", { name });

async function openExportMenu(page: Page) {
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByRole("menu")).toBeVisible();
}

/** Closes the open menu (a first Escape may only close a tooltip); the page behind it is usable again. */
async function closeMenu(page: Page) {
  await expect(async () => {
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toBeHidden({ timeout: 1000 });
  }).toPass();
}

/** A disabled item's reason: shown when it is hovered. */
async function expectDisabledWithReason(item: Locator, reason: string) {
  await expect(item).toHaveAttribute("aria-disabled", "true");
  await hoverForTooltip(item, reason);
}

test.beforeEach(async ({ page }) => signedIn(page, SUPERVISOR));

test("select conversations → Export Transcripts → the zip downloads by itself with one file per conversation", async ({
  page,
}) => {
  const ids = (await rowIds(page)).slice(0, 3);
  for (const id of ids) await select(page, id);
  await expect(page.getByTestId("selection-bar")).toContainText("3 selected");
  await openExportMenu(page);
  const downloading = page.waitForEvent("download");
  await menuItem(page, "Export Transcripts").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^transcripts-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.zip$/);
  const entries = await readZip(await readFile((await download.path()) ?? ""));
  expect([...entries.keys()].sort()).toEqual(ids.map((id) => `${id}.txt`).sort());
  await expect(page.getByTestId("export-status")).toContainText(download.suggestedFilename());
  await expect(page.getByTestId("export-status")).toContainText("Export complete.");

  await page.goto("/exports");
  const row = page.getByTestId("export-row").filter({ hasText: download.suggestedFilename() });
  await expect(row).toContainText("Ready");
  await expect(row.getByRole("link", { name: `Download ${download.suggestedFilename()}` })).toBeVisible();
});

test("a 26th conversation is refused for transcript export, with the message", async ({ page }) => {
  const ids = (await rowIds(page)).slice(0, 26);
  expect(ids).toHaveLength(26);
  for (const id of ids) await select(page, id);
  await expect(page.getByTestId("selection-bar")).toContainText("26 selected");
  await openExportMenu(page);
  await expectDisabledWithReason(menuItem(page, "Export Transcripts"), TOO_MANY_TRANSCRIPTS);
  await expect(menuItem(page, "Export Conversation Data")).not.toHaveAttribute("aria-disabled", "true");
});

test("Download Latency Report: disabled with the reason without the call control parameters, a CSV with them", async ({
  page,
}) => {
  const ids = await rowIds(page);
  const db = e2eDb();
  const eligible = await latencyReportEligible(db, ids).finally(() => db.destroy());
  const yes = ids.find((id) => eligible.has(id));
  const no = ids.find((id) => !eligible.has(id));
  if (!yes || !no)
    throw new Error("the first page should show calls with and without the latency parameters");

  await select(page, no);
  await openExportMenu(page);
  await expectDisabledWithReason(menuItem(page, "Download Latency Report"), LATENCY_REPORT_UNAVAILABLE);
  await closeMenu(page);
  await page.getByRole("button", { name: "Clear selection" }).click();

  await select(page, yes);
  await openExportMenu(page);
  const item = menuItem(page, "Download Latency Report");
  await expect(item).not.toHaveAttribute("aria-disabled", "true");
  const downloading = page.waitForEvent("download");
  await item.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^latency-report-.*\.csv$/);
  const [header, ...lines] = readCsv(await readFile((await download.path()) ?? ""));
  expect(header).toEqual([
    "conversation_id",
    "turn",
    "asr_latency_ms",
    "bot_latency_ms",
    "tts_latency_ms",
    "end_to_end_latency_ms",
  ]);
  expect(lines.map((l) => l[1]).slice(-2)).toEqual(["p50", "p90"]);
});

test("events of a conversation older than 30 days: previewed, but Export and Download Events are disabled", async ({
  page,
}) => {
  await page.goto("/conversations?sort=oldest");
  const row = rows(page).first();
  const started = Date.parse((await row.locator("time").first().getAttribute("datetime")) ?? "");
  expect(Date.now() - started).toBeGreaterThan(30 * 86_400_000);
  await row.locator("input[data-row-checkbox]").check();
  await openExportMenu(page);
  await expectDisabledWithReason(menuItem(page, "Export Events"), EVENTS_TOO_OLD);
  await closeMenu(page);

  await row.getByRole("button", { name: /^Actions for / }).click();
  await menuItem(page, "Preview Events").click();
  const dialog = page.getByRole("dialog", { name: "Preview Events" });
  await expect(dialog).toContainText(EVENTS_PERIODIC_NOTE);
  await expect(dialog.getByTestId("event-row").first()).toBeVisible();
  const button = dialog.getByRole("button", { name: "Download Events" });
  await expect(button).toBeDisabled();
  await hoverForTooltip(button.locator(".."), EVENTS_TOO_OLD);
});

test("Preview Events of a recent conversation: the timeline with timestamps, and Download Events downloads them", async ({
  page,
}) => {
  // A finished conversation on the page that has events (one just started may have none yet).
  const ids = await rowIds(page);
  const db = e2eDb();
  const withEvents = await db
    .selectFrom("conversation_events")
    .innerJoin("conversations", "conversations.id", "conversation_events.conversation_id")
    .select("conversation_events.conversation_id")
    .where("conversation_events.conversation_id", "in", ids)
    .where("conversations.ended_at", "is not", null)
    .executeTakeFirstOrThrow()
    .finally(() => db.destroy());
  const row = page.locator(`[data-conversation-id="${withEvents.conversation_id}"]`);
  await row.getByRole("button", { name: /^Actions for / }).click();
  await menuItem(page, "Preview Events").click();
  const dialog = page.getByRole("dialog", { name: "Preview Events" });
  const events = dialog.getByTestId("event-row");
  await expect(events.first()).toBeVisible();
  await expect(events.first().locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
  const shown = await events.count(); // the dialog closes once the download has started
  const downloading = page.waitForEvent("download");
  await dialog.getByRole("button", { name: "Download Events" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^events-.*\.csv$/);
  const [header, ...lines] = readCsv(await readFile((await download.path()) ?? ""));
  expect(header).toEqual(["conversation_id", "event", "time_utc", "agent", "queue"]);
  expect(lines.length).toBe(shown);
});
