import { randomUUID } from "node:crypto";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { NOT_ONGOING } from "../../lib/platform/actions.ts";
import { e2eDb } from "./support/db.ts";
import { hoverForTooltip, signInAs as signIn } from "./support/session.ts";

// The Conversations list, signed in the real way as a supervisor and as an agent. Masking on/off is
// covered by admin.spec.ts; the Insights panel's contents by insights-panel.spec.ts.
const SUPERVISOR = "Sam Supervisor";
const AGENT = "Alex Agent";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

/** Signed in (support/session.ts) and the page ready. */
async function signInAs(page: Page, name: string) {
  await signIn(page, name);
  await ready(page);
}

/** Rows rendered and the page hydrated (the live stream's effect has run, so key handlers are on). */
async function ready(page: Page) {
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
}

const table = (page: Page) => page.getByRole("table", { name: "Conversations" });
const rows = (page: Page) => table(page).getByTestId("conversation-row");
const firstRowId = (page: Page) => rows(page).first().getAttribute("data-conversation-id");
const startTimes = async (page: Page) =>
  (
    await rows(page)
      .locator("time")
      .evaluateAll((els) => els.map((e) => e.getAttribute("datetime")))
  ).map((iso) => Date.parse(iso ?? ""));

const COLUMNS = [
  "Customer",
  "Actions",
  "Support",
  "Start Time",
  "Duration",
  "Agents",
  "Queues",
  "Skills",
  "Status",
  "CSAT",
  "NPS",
  "Like/Dislike",
];

async function expectColumns(page: Page) {
  const headers = (await table(page).getByRole("columnheader").allTextContents()).map((h) => h.trim());
  for (const column of COLUMNS) expect(headers).toContain(column);
}

async function openActions(row: Locator) {
  await row.getByRole("button", { name: /^Actions for / }).click();
  return row.page().getByRole("menu");
}

/** Escape until the menu is gone: a first Escape may only close a tooltip. */
async function closeMenu(page: Page) {
  await expect(async () => {
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toBeHidden({ timeout: 1000 });
  }).toPass();
}

test.describe("as a supervisor", () => {
  test.beforeEach(async ({ page }) => signInAs(page, SUPERVISOR));

  test("every column is there, with icons named for screen readers", async ({ page }) => {
    await expectColumns(page);
    const icons = rows(page).first().getByTestId("conversation-icons");
    await expect(icons.getByRole("img", { name: /^(Inbound|Outbound)$/ })).toHaveCount(1);
    await expect(icons.getByRole("img", { name: /^Language: / })).toHaveCount(1);
    await expect(icons.getByRole("img", { name: /^Channel: (Voice|Chat|Email)$/ })).toHaveCount(1);
    await expect(rows(page).first().getByTestId("status-cell")).toContainText(
      /In Progress|Error|Completed( \((Drop Off|User Hangup|AI Agents Hangup)\))?/,
    );
  });

  test("hovering agents, queues and skills shows the names, queues in the order entered", async ({
    page,
  }) => {
    const withAgents = rows(page)
      .filter({ has: page.getByTestId("agents-cell").getByRole("listitem") })
      .first();
    const firstAgent =
      (await withAgents.getByTestId("agents-cell").getByRole("listitem").first().textContent()) ?? "";
    await hoverForTooltip(withAgents.getByTestId("agents-cell").locator("[aria-hidden] > span").first());
    await expect(page.getByRole("tooltip")).toHaveText(firstAgent);

    const queues = table(page).getByTestId("queues-cell").getByRole("button").first();
    await expect(queues).toBeVisible();
    const id = await queues.locator("xpath=ancestor::tr").getAttribute("data-conversation-id");
    const db = e2eDb();
    const entered = await db
      .selectFrom("conversation_queues as cq")
      .innerJoin("queues as q", "q.id", "cq.queue_id")
      .select("q.name")
      .where("cq.conversation_id", "=", id ?? "")
      .orderBy("cq.entered_at")
      .execute()
      .finally(() => db.destroy());
    await hoverForTooltip(queues);
    await expect(page.getByRole("tooltip").getByRole("listitem")).toHaveText(entered.map((q) => q.name));
    await expect(queues).toContainText(entered.at(-1)?.name ?? "?"); // the last queue is the one shown

    const skills = table(page).getByTestId("skills-cell").getByRole("button").first();
    const more = Number((await skills.getByText(/^\+\d+$/).textContent())?.slice(1));
    await hoverForTooltip(skills);
    await expect(page.getByRole("tooltip").getByRole("listitem")).toHaveCount(more + 1);
  });

  test("copying an identifier confirms it and puts it on the clipboard; Supervisor View links to Monitor", async ({
    page,
  }) => {
    const row = rows(page).first();
    const id = (await row.getAttribute("data-conversation-id")) ?? "";
    const db = e2eDb();
    const conversation = await db
      .selectFrom("conversations")
      .select("session_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow()
      .finally(() => db.destroy());

    let menu = await openActions(row);
    await menu.getByRole("menuitem", { name: "Copy Session ID" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Session ID copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(conversation.session_id);

    menu = await openActions(row);
    await menu.getByRole("menuitem", { name: "Copy User ID" }).click();
    await expect(page.getByRole("status").filter({ hasText: "User ID copied" })).toBeVisible();

    menu = await openActions(row);
    const transcript = await menu.getByRole("menuitem", { name: "Download transcript" }).getAttribute("href");
    const response = await page.request.get(transcript ?? "");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/plain");

    await closeMenu(page);

    // Supervisor View: for ongoing conversations (Monitor's), with the reason on the others.
    const withStatus = (status: string) =>
      rows(page)
        .filter({ has: page.getByTestId("status-cell").getByText(status, { exact: true }) })
        .first();
    menu = await openActions(withStatus("Completed"));
    const ended = menu.getByRole("menuitem", { name: "Supervisor View" });
    await expect(ended).toHaveAttribute("aria-disabled", "true");
    await hoverForTooltip(ended, NOT_ONGOING);
    await closeMenu(page);
    const ongoing = withStatus("In Progress");
    const ongoingId = (await ongoing.getAttribute("data-conversation-id")) ?? "";
    menu = await openActions(ongoing);
    await menu.getByRole("menuitem", { name: "Supervisor View" }).click();
    await expect(page).toHaveURL(new RegExp(`/monitor\\?conversation=${ongoingId}$`));
  });

  test("sorting by start time flips the order", async ({ page }) => {
    const newest = await startTimes(page);
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    await table(page)
      .getByRole("link", { name: /^Start Time/ })
      .click();
    await expect(page).toHaveURL(/sort=oldest/);
    await expect.poll(async () => (await startTimes(page))[0]).toBeLessThan(newest.at(-1) ?? 0);
    const oldest = await startTimes(page);
    expect(oldest).toEqual([...oldest].sort((a, b) => a - b));
  });

  test("paging forward and back returns to the same rows; page size is a URL choice", async ({ page }) => {
    const first = await firstRowId(page);
    const pagination = page.getByRole("navigation", { name: "Pagination" });
    await expect(pagination.getByTestId("page-range")).toHaveText(/^1–50 of /);
    await expect(pagination.getByRole("button", { name: "Previous" })).toBeDisabled();

    await pagination.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(pagination.getByTestId("page-range")).toHaveText(/^51–100 of /);
    await expect.poll(() => firstRowId(page)).not.toBe(first);
    await pagination.getByRole("link", { name: "Next" }).click();
    await expect(pagination.getByTestId("page-range")).toHaveText(/^101–150 of /);

    await pagination.getByRole("link", { name: "Previous" }).click();
    await expect(pagination.getByTestId("page-range")).toHaveText(/^51–100 of /);
    await pagination.getByRole("link", { name: "Previous" }).click();
    await expect(pagination.getByTestId("page-range")).toHaveText(/^1–50 of /);
    await expect.poll(() => firstRowId(page)).toBe(first);

    await pagination.getByLabel("Rows per page").selectOption("25");
    await expect(page).toHaveURL(/size=25/);
    await expect(rows(page)).toHaveCount(25);
    await expect(pagination.getByTestId("page-range")).toHaveText(/^1–25 of /);
  });

  test("keyboard: j/k move, x selects, Enter opens the panel, Esc closes it", async ({ page }) => {
    await page.keyboard.press("j");
    await expect(rows(page).nth(0)).toBeFocused();
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await expect(rows(page).nth(2)).toBeFocused();
    await page.keyboard.press("k");
    await expect(rows(page).nth(1)).toBeFocused();

    await page.keyboard.press("x");
    await expect(rows(page).nth(1).getByRole("checkbox")).toBeChecked();
    await expect(page.getByTestId("selection-bar")).toContainText("1 selected");

    const id = await rows(page).nth(1).getAttribute("data-conversation-id");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`open=${id}`));
    await expect(page.getByTestId("conversation-panel")).toBeVisible();
    await expect(page.getByRole("region", { name: "Insights to Logs" })).toBeVisible();

    await page.keyboard.press("Escape");
    await expect(page).not.toHaveURL(/open=/);
    await expect(page.getByTestId("conversation-panel")).toHaveCount(0);
    await expect(rows(page).nth(1)).toBeFocused();
    await expect(page.getByTestId("selection-bar")).toContainText("1 selected"); // kept across navigation
  });

  test("a deep link opens the panel beside the table", async ({ page }) => {
    const id = await firstRowId(page);
    await page.goto(`/conversations?open=${id}`);
    await ready(page);
    await expect(page.getByTestId("conversation-panel")).toBeVisible();
    // By id, not position: the live test in this file may add a newer conversation on top meanwhile.
    await expect(rows(page).and(page.locator(`[data-conversation-id="${id}"]`))).toHaveAttribute(
      "aria-current",
      "true",
    );
    await page.getByRole("link", { name: "Close panel" }).click();
    await expect(page).toHaveURL(/\/conversations$/);
  });

  // Tagged @live: it adds the newest conversation, so it runs on its own after the other specs
  // (playwright.config.ts), which read rows by position.
  test("live: a new conversation appears without reload, then completes; the in-progress filter lets it go", {
    tag: "@live",
  }, async ({ page, context }) => {
    const filtered = await context.newPage();
    await filtered.goto("/conversations?status=in_progress");
    for (const p of [page, filtered])
      await expect(p.getByTestId("live-status")).toHaveAttribute("data-state", "live");

    const tag = randomUUID().slice(0, 8);
    const sessionId = `e2e-live-${tag}`;
    const name = `Live Caller ${tag}`;
    const started = new Date();
    const db = e2eDb();
    try {
      const result = await ingestEvents(db, [
        {
          id: `${sessionId}-start`,
          type: "conversation.started",
          sessionId,
          occurredAt: started.toISOString(),
          channel: "voice",
          direction: "inbound",
          language: "en-US",
          customer: { userRef: `usr_e2e_${tag}`, name },
        },
      ]);
      expect(result.rejected).toEqual([]);
      for (const p of [page, filtered]) {
        const row = rows(p).filter({ hasText: name });
        await expect(row).toBeVisible();
        await expect(row.getByTestId("status-cell")).toHaveText(/^In Progress/);
      }

      await ingestEvents(db, [
        {
          id: `${sessionId}-end`,
          type: "conversation.ended",
          sessionId,
          occurredAt: new Date(started.getTime() + 95_000).toISOString(),
          status: "completed_user_hangup",
          smartStatus: "resolved",
        },
      ]);
      const row = rows(page).filter({ hasText: name });
      await expect(row.getByTestId("status-cell")).toHaveText(/^Completed \(User Hangup\)/);
      await expect(row.getByTestId("status-cell")).toContainText("Resolved");
      await expect(row).toContainText("1m 35s");
      // It no longer matches the other tab's filter: it leaves that list.
      await expect(rows(filtered).filter({ hasText: name })).toHaveCount(0);
    } finally {
      await db.destroy();
    }
  });
});

test.describe("as an agent", () => {
  test.beforeEach(async ({ page }) => signInAs(page, AGENT));

  test("the same columns; Supervisor View is restricted", async ({ page }) => {
    await expectColumns(page);
    const menu = await openActions(rows(page).first());
    const supervisorView = menu.getByRole("menuitem", { name: "Supervisor View" });
    await expect(supervisorView).toHaveAttribute("aria-disabled", "true");
    await hoverForTooltip(supervisorView, /^Access restricted$/);
  });

  test("keyboard and paging work within the agent's own conversations", async ({ page }) => {
    const first = await firstRowId(page);
    const pagination = page.getByRole("navigation", { name: "Pagination" });
    await pagination.getByRole("link", { name: "Next" }).click();
    await expect.poll(() => firstRowId(page)).not.toBe(first);
    await pagination.getByRole("link", { name: "Previous" }).click();
    await expect.poll(() => firstRowId(page)).toBe(first);

    await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`open=${first}`));
    await page.keyboard.press("Escape");
    await expect(page).not.toHaveURL(/open=/);
  });
});
