import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { ingestEvents } from "../../lib/ingest/index.ts";
import type { IngestEvent } from "../../lib/ingest/schemas.ts";
import { e2eDb } from "./support/db.ts";
import { signInAs } from "./support/session.ts";

// Keyword search on the Conversations page, signed in the real way: results ranked by relevance with
// the matches highlighted, the switch to Start Time, the highlights in the opened transcript, the
// hint for a phrase with nothing to look for, and the recent-searches dropdown by keyboard.
// The conversations searched for are ingested here with words no other data has, 25 days back so
// they stay off the first pages other specs read by position.

const SUPERVISOR = "Sam Supervisor";
const AGENT = "Alex Agent";
const letters = (n: number) =>
  randomUUID()
    .replace(/-/g, "")
    .slice(0, n)
    .replace(/\d/g, (d) => "ghijklmnop"[Number(d)] ?? "x");
const WORD = `zephyr${letters(8)}`;
const ids: Record<"most" | "once", string> = { most: "", once: "" };

test.beforeAll(async () => {
  const base = Date.now() - 25 * 24 * 3600_000;
  const conversation = (key: string, minutes: number, bodies: string[], note?: string): IngestEvent[] => {
    const sessionId = `e2e-search-${key}-${WORD}`;
    const at = (s: number) => new Date(base + minutes * 60_000 + s * 1000).toISOString();
    return [
      {
        id: `${sessionId}-start`,
        type: "conversation.started",
        sessionId,
        occurredAt: at(0),
        channel: "chat",
        direction: "inbound",
        language: "en-US",
        customer: { userRef: `usr_${sessionId}`, name: `Search ${key}` },
      },
      ...bodies.map(
        (body, i): IngestEvent => ({
          id: `${sessionId}-m${i}`,
          type: "message",
          sessionId,
          occurredAt: at(i + 1),
          seq: i + 1,
          speaker: i % 2 ? "agent" : "customer",
          body,
        }),
      ),
      ...(note
        ? [
            {
              id: `${sessionId}-note`,
              type: "note.added",
              sessionId,
              occurredAt: at(30),
              body: note,
            } as IngestEvent,
          ]
        : []),
      { id: `${sessionId}-end`, type: "conversation.ended", sessionId, occurredAt: at(60) },
    ];
  };
  const db = e2eDb();
  try {
    const result = await ingestEvents(db, [
      ...conversation(
        "most",
        0,
        [`My ${WORD} broke, the ${WORD} is <b>dead</b>`, `Sorry about the ${WORD}`],
        `${WORD} replaced`,
      ),
      ...conversation("once", 60, [`Is a ${WORD} covered?`, "Let me check"]),
    ]);
    expect(result.rejected).toEqual([]);
    const rows = await db
      .selectFrom("conversations")
      .select(["id", "session_id"])
      .where("session_id", "like", `e2e-search-%-${WORD}`)
      .execute();
    for (const r of rows) ids[r.session_id.startsWith("e2e-search-most") ? "most" : "once"] = r.id;
  } finally {
    await db.destroy();
  }
});

/** Signed in and the list hydrated (the live stream's effect has run, so the field's handlers are on). */
async function signIn(page: Page, name: string) {
  await signInAs(page, name);
  // The stream connects last; on a busy machine that can take a while.
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 30_000 });
}

const searchField = (page: Page) => page.getByRole("combobox", { name: "Search conversations" });
const rows = (page: Page) =>
  page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");
const rowIds = (page: Page) =>
  rows(page).evaluateAll((els) => els.map((e) => e.getAttribute("data-conversation-id")));

async function search(page: Page, phrase: string) {
  await searchField(page).fill(phrase);
  await searchField(page).press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(phrase).replace(/%20/g, "\\+")}`));
}

test("search ranks by relevance, highlights matches, sorts by Start Time and marks the transcript", async ({
  page,
}) => {
  test.slow(); // a dozen round trips
  await signIn(page, SUPERVISOR);
  await search(page, WORD);
  await expect(rows(page)).toHaveCount(2);
  // Three mentions and a note beat one mention, though it started earlier.
  expect(await rowIds(page)).toEqual([ids.most, ids.once]);
  const snippet = rows(page).first().getByTestId("search-snippet");
  await expect(snippet.locator("mark").first()).toHaveText(WORD);
  // Markup in a message is shown as text, never rendered.
  await expect(snippet).toContainText("<b>dead</b>");
  await expect(snippet.locator("b")).toHaveCount(0);

  await page.getByLabel("Sort by").selectOption("newest");
  await expect(page).toHaveURL(/sort=newest/);
  await expect.poll(() => rowIds(page)).toEqual([ids.once, ids.most]);
  await page.getByLabel("Sort by").selectOption("relevance");
  await expect(page).not.toHaveURL(/sort=/);
  await expect.poll(() => rowIds(page)).toEqual([ids.most, ids.once]);

  await rows(page)
    .first()
    .getByRole("link", { name: /Search most/ })
    .click();
  await expect(page).toHaveURL(new RegExp(`open=${ids.most}`));
  const transcript = page.getByTestId("insights-panel").getByRole("list", { name: "Transcript" });
  await expect(transcript.locator("mark")).toHaveText([WORD, WORD, WORD]);
  await expect(transcript).toContainText("<b>dead</b>");
});

test("a phrase of only common words shows a hint instead of results", async ({ page }) => {
  test.slow(); // signing in waits for the live stream
  await signIn(page, SUPERVISOR);
  await search(page, "the and of");
  await expect(rows(page)).toHaveCount(0);
  await expect(page.getByTestId("empty-hint")).toContainText("common words");
});

test("recent searches: newest first, no duplicates, chosen by keyboard", async ({ page }) => {
  test.slow(); // four searches and a reload
  await signIn(page, AGENT);
  const first = `alpha${letters(6)}`;
  const second = `beta${letters(6)}`;
  await search(page, first);
  await search(page, second);
  await search(page, first); // again: moves to the top, listed once

  const field = searchField(page);
  await field.fill("");
  await field.press("ArrowDown");
  await expect(field).toHaveAttribute("aria-expanded", "true");
  const options = page.getByRole("listbox", { name: "Recent Searches" }).getByRole("option");
  await expect(options.nth(0)).toHaveText(first);
  await expect(options.nth(1)).toHaveText(second);
  await expect(options.filter({ hasText: first })).toHaveCount(1);
  await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
  await field.press("ArrowDown");
  await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
  await expect(field).toHaveAttribute(
    "aria-activedescendant",
    (await options.nth(1).getAttribute("id")) ?? "",
  );
  await field.press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${second}`));

  // The page the search opened lists it first; Escape closes the list.
  await page.reload();
  const fresh = searchField(page);
  await expect(fresh).toHaveValue(second);
  await fresh.fill("");
  await fresh.press("ArrowDown");
  await expect(options.first()).toHaveText(second);
  await fresh.press("Escape");
  await expect(fresh).toHaveAttribute("aria-expanded", "false");
});

test("field prefixes become removable filter chips; a bad value gets an inline hint", async ({ page }) => {
  test.slow(); // signing in waits for the live stream
  await signIn(page, SUPERVISOR);
  await searchField(page).fill(`customer:once ${WORD}`);
  await searchField(page).press("Enter");
  // The prefix moved into the URL's filters (a link like any other), the words stayed the search.
  await expect(page).toHaveURL(/[?&]customer=once(&|$)/);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${WORD}(&|$)`));
  await expect(searchField(page)).toHaveValue(WORD);
  await expect.poll(() => rowIds(page)).toEqual([ids.once]);
  const chip = page.getByRole("link", { name: "Remove filter Customer: once" });
  await expect(chip).toBeVisible();
  await chip.click();
  await expect(page).not.toHaveURL(/customer=/);
  await expect.poll(() => rowIds(page)).toEqual([ids.most, ids.once]);

  await searchField(page).fill(`status:lost ${WORD}`);
  await searchField(page).press("Enter");
  await expect(page.getByTestId("empty-hint")).toContainText("“status:” takes one of");
  await expect(searchField(page)).toHaveValue(`status:lost ${WORD}`);
});
