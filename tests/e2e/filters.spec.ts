import { randomUUID } from "node:crypto";
import { type Browser, expect as baseExpect, type Locator, type Page, test } from "@playwright/test";
import { ingestEvents } from "../../lib/ingest/index.ts";
import { e2eDb } from "./support/db.ts";
import { signInAs as signIn } from "./support/session.ts";

// The filter panel and saved filters, signed in the real way. Independent of other specs: its own
// conversations carry a custom tag no other data has (so every filtered list is exactly known), its
// own saved filters have unique names, and it signs in as users no other spec uses (the default
// filter changes where its user lands).
const BUILDER = "Katrin Vogel"; // supervisor: builds, and shares a filter
const SAVER = "Priya Raman"; // supervisor: saved-filter operations, incl. her default filter
const COLLEAGUE = "Lukas Schneider"; // agent: sees a shared filter, may not change it
const ADMIN = "Omar Haddad"; // admin: may change anyone's shared filter

// Each test walks a whole flow (many navigations): more time than the suite's defaults, which a
// busy machine's server renders can exceed.
test.describe.configure({ timeout: 150_000 });
const expect = baseExpect.configure({ timeout: 20_000 });

const run = randomUUID().slice(0, 8);
const TAG = `e2e_tag_${run}`;
const conv = {
  a: { session: `e2e-filter-a-${run}`, name: `Filter Gold ${run}` },
  b: { session: `e2e-filter-b-${run}`, name: `Filter Silver ${run}` },
  c: { session: `e2e-filter-c-${run}`, name: `Filter Untagged ${run}` },
};

test.beforeAll(async () => {
  const db = e2eDb();
  const started = (session: string, day: string, channel: "voice" | "chat" | "email", name: string) => ({
    id: `${session}-start`,
    type: "conversation.started" as const,
    sessionId: session,
    occurredAt: `2026-10-${day}T10:00:00Z`,
    channel,
    direction: "inbound" as const,
    language: "en-US",
    customer: { userRef: `usr_${session}`, name },
  });
  const at = (day: string, minute: number) => `2026-10-${day}T10:${String(minute).padStart(2, "0")}:00Z`;
  try {
    const result = await ingestEvents(db, [
      // A: chat, Billing queue, Katrin joined, CSAT 5, resolved; tag value "Gold member".
      started(conv.a.session, "05", "chat", conv.a.name),
      {
        id: `${conv.a.session}-q`,
        type: "queue.entered",
        sessionId: conv.a.session,
        occurredAt: at("05", 1),
        queue: "Billing",
      },
      {
        id: `${conv.a.session}-p`,
        type: "participant.joined",
        sessionId: conv.a.session,
        occurredAt: at("05", 2),
        agentEmail: "katrin.vogel@parley.demo",
      },
      {
        id: `${conv.a.session}-t`,
        type: "tag.added",
        sessionId: conv.a.session,
        occurredAt: at("05", 3),
        level: "session",
        name: TAG,
        value: "Gold member",
      },
      {
        id: `${conv.a.session}-csat`,
        type: "csat.answered",
        sessionId: conv.a.session,
        occurredAt: at("05", 4),
        score: 5,
      },
      {
        id: `${conv.a.session}-end`,
        type: "conversation.ended",
        sessionId: conv.a.session,
        occurredAt: at("05", 5),
        status: "completed",
        smartStatus: "resolved",
      },
      // B: voice, dropped off, escalated, CSAT 2; tag value "silver".
      started(conv.b.session, "06", "voice", conv.b.name),
      {
        id: `${conv.b.session}-t`,
        type: "tag.added",
        sessionId: conv.b.session,
        occurredAt: at("06", 1),
        level: "user",
        name: TAG,
        value: "silver",
      },
      {
        id: `${conv.b.session}-csat`,
        type: "csat.answered",
        sessionId: conv.b.session,
        occurredAt: at("06", 2),
        score: 2,
      },
      {
        id: `${conv.b.session}-end`,
        type: "conversation.ended",
        sessionId: conv.b.session,
        occurredAt: at("06", 3),
        status: "completed_drop_off",
        smartStatus: "escalated",
      },
      // C: e-mail, still in progress, untagged.
      started(conv.c.session, "07", "email", conv.c.name),
    ]);
    expect(result.rejected).toEqual([]);
  } finally {
    await db.destroy();
  }
});

/** Signed in (support/session.ts) and the list's toolbar rendered. */
async function signInAs(page: Page, name: string) {
  await signIn(page, name);
  await expect(page.getByRole("button", { name: "Saved filters" })).toBeVisible();
}

async function newUser(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, name);
  return page;
}

const rows = (page: Page) => page.getByTestId("conversation-row");
const panel = (page: Page) => page.getByRole("dialog", { name: "Filters" });
const toast = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

/** The list shows exactly these of this spec's conversations (the filters always include the tag clause). */
async function expectRows(page: Page, ...names: string[]) {
  await expect(rows(page)).toHaveCount(names.length);
  for (const name of names) await expect(rows(page).filter({ hasText: name })).toHaveCount(1);
}

/** Clicks until it works: right after a navigation the button may not be hydrated (or re-rendered) yet. */
async function clickUntil(button: Locator, done: Locator) {
  await expect(async () => {
    await button.click({ timeout: 5000 });
    await expect(done).toBeVisible({ timeout: 5000 });
  }).toPass();
}

async function openBuilder(page: Page): Promise<Locator> {
  await clickUntil(page.getByRole("button", { name: /^Filter/ }).first(), panel(page));
  return panel(page);
}

async function openSaved(page: Page): Promise<Locator> {
  await clickUntil(page.getByRole("button", { name: "Saved filters" }), panel(page));
  await expect(panel(page).getByRole("tab", { name: "Filters" })).toHaveAttribute("aria-selected", "true");
  return panel(page);
}

/** Toolbar "Clear filters": lands on the whole list, marked as explicitly unfiltered. */
async function clearFilters(page: Page) {
  // The confirmation shows at once (and only briefly); the list follows.
  await expect(async () => {
    await page.getByRole("button", { name: "Clear filters" }).click({ timeout: 5000 });
    await expect(toast(page, "Filters cleared")).toBeVisible({ timeout: 2000 });
  }).toPass();
  await expect(page).toHaveURL(/\/conversations\?filter=none$/);
}

/** Ticks the custom-tags box (when needed) and fills clause n (1-based). */
async function clause(p: Locator, n: number, predicate: "CONTAINS" | "DOES NOT CONTAIN", value: string) {
  const box = p.getByRole("checkbox", { name: "Filter for Custom Tags (Beta)" });
  if (!(await box.isChecked())) await box.check();
  await p.getByLabel(`Tag name (clause ${n})`).fill(TAG);
  await p.getByLabel(`Predicate (clause ${n})`).selectOption({ label: predicate });
  await p.getByLabel(`Tag value (clause ${n})`).fill(value);
}

/** Apply (one-off): the list moves to a new URL (every call here changes the filter). */
async function apply(page: Page, p: Locator) {
  const before = page.url();
  await p.getByRole("button", { name: "Apply", exact: true }).click();
  await expect(toast(page, "Filter applied")).toBeVisible(); // first: it shows only briefly
  await expect(panel(page)).toBeHidden();
  await page.waitForURL((url) => url.href !== before);
}

const group = (p: Locator, name: string) => p.getByRole("group", { name: new RegExp(`^${name}`) });

test.describe("filter builder", () => {
  test.beforeEach(async ({ page }) => signInAs(page, BUILDER));

  test("custom tags: CONTAINS, AND a DOES NOT CONTAIN clause, '-' removes it; all in the URL", async ({
    page,
  }) => {
    let p = await openBuilder(page);
    await clause(p, 1, "CONTAINS", "");
    await apply(page, p);
    await expectRows(page, conv.a.name, conv.b.name);
    expect(new URL(page.url()).searchParams.get("tags")).toBe(JSON.stringify([[TAG, "contains", ""]]));

    p = await openBuilder(page);
    // The panel opens on the filter in force.
    await expect(p.getByLabel("Tag name (clause 1)")).toHaveValue(TAG);
    await p.getByRole("button", { name: "AND", exact: true }).click();
    await clause(p, 2, "DOES NOT CONTAIN", "SILV");
    await apply(page, p);
    await expectRows(page, conv.a.name);

    p = await openBuilder(page);
    await p.getByRole("button", { name: "Remove clause 2" }).click();
    await expect(p.getByTestId("tag-clause")).toHaveCount(1);
    await p.getByLabel("Tag value (clause 1)").fill("gold");
    await apply(page, p);
    await expectRows(page, conv.a.name);

    // The link alone reproduces the view.
    const link = page.url();
    const other = await page.context().newPage();
    await other.goto(link);
    await expectRows(other, conv.a.name);
  });

  test("at most 5 clauses: the 6th is refused with a message", async ({ page }) => {
    const p = await openBuilder(page);
    await clause(p, 1, "CONTAINS", "");
    for (let n = 2; n <= 5; n++) {
      await p.getByRole("button", { name: "AND", exact: true }).click();
      await clause(p, n, "DOES NOT CONTAIN", `nothing-${n}`);
    }
    await expect(p.getByTestId("tag-clause")).toHaveCount(5);
    await expect(p.getByRole("alert")).toHaveCount(0);
    await p.getByRole("button", { name: "AND", exact: true }).click();
    await expect(p.getByRole("alert")).toHaveText("You can add up to 5 clauses.");
    await expect(p.getByTestId("tag-clause")).toHaveCount(5);
    // The five still apply (each excludes nothing of ours).
    await apply(page, p);
    await expectRows(page, conv.a.name, conv.b.name);
  });

  test("IDs, Queues, Channels, Agents, Status, SmartStatus, CSAT and date range each narrow the list", async ({
    page,
  }) => {
    // Every step keeps the tag clause, so only this spec's three conversations can appear.
    const p = await openBuilder(page);
    await clause(p, 1, "CONTAINS", "");
    await p.getByRole("checkbox", { name: "Filter for Custom Tags (Beta)" }).uncheck();
    await p.getByLabel("IDs").fill(`${conv.b.session}, ${conv.c.session}`);
    await apply(page, p);
    await expectRows(page, conv.c.name, conv.b.name);

    const step = async (change: (p: Locator) => Promise<void>, ...expected: string[]) => {
      const panelNow = await openBuilder(page);
      await panelNow.getByRole("button", { name: "Clear", exact: true }).click();
      await clause(panelNow, 1, "CONTAINS", "");
      await change(panelNow);
      await apply(page, panelNow);
      await expectRows(page, ...expected);
    };
    await step(
      (p) => group(p, "Queues").getByRole("checkbox", { name: "Billing", exact: true }).check(),
      conv.a.name,
    );
    await step(async (p) => {
      await group(p, "Channels").getByRole("checkbox", { name: "Voice" }).check();
      await group(p, "Channels").getByRole("checkbox", { name: "Email" }).check();
    }, conv.b.name);
    await step((p) => group(p, "Agents").getByRole("checkbox", { name: BUILDER }).check(), conv.a.name);
    await step(
      (p) => group(p, "Status").getByRole("checkbox", { name: "Completed (Drop Off)" }).check(),
      conv.b.name,
    );
    await step(
      (p) => group(p, "SmartStatus").getByRole("checkbox", { name: "Resolved" }).check(),
      conv.a.name,
    );
    await step(
      async (p) => {
        await group(p, "CSAT").getByRole("checkbox", { name: "2 ★" }).check();
        await group(p, "CSAT").getByRole("checkbox", { name: "5 ★" }).check();
      },
      conv.b.name,
      conv.a.name,
    );
    await step(async (p) => {
      await p.getByLabel("From", { exact: true }).fill("2026-10-06");
      await p.getByLabel("To", { exact: true }).fill("2026-10-06");
    }, conv.b.name);
    const url = new URL(page.url()).searchParams;
    expect([url.get("from"), url.get("to")]).toEqual(["2026-10-06", "2026-10-06"]);

    // Filters combine with the sort order.
    await page.goto(`${page.url()}&sort=oldest`.replace("from=2026-10-06", "from=2026-10-05"));
    await expectRows(page, conv.a.name, conv.b.name);
    await expect(rows(page).first()).toContainText(conv.a.name);
  });

  test("Clear empties the form; Apply then shows the whole list, and Clear filters does too", async ({
    page,
  }) => {
    let p = await openBuilder(page);
    await clause(p, 1, "CONTAINS", "gold");
    await apply(page, p);
    await expectRows(page, conv.a.name);
    await expect(page.getByRole("button", { name: /^Filter/ }).first()).toContainText("1");

    p = await openBuilder(page);
    await p.getByRole("button", { name: "Clear", exact: true }).click();
    await expect(p.getByRole("checkbox", { name: "Filter for Custom Tags (Beta)" })).not.toBeChecked();
    await apply(page, p);
    await expect(page).toHaveURL(/\/conversations\?filter=none$/);
    await expect(rows(page).first()).toBeVisible();

    await page.goto(
      `/conversations?tags=${encodeURIComponent(JSON.stringify([[TAG, "contains", "silver"]]))}`,
    );
    await expectRows(page, conv.b.name);
    await clearFilters(page);
  });
});

test.describe("saved filters", () => {
  test("Save & Apply, Edit, Duplicate, Mark as Default, Delete — each confirmed", async ({ page }) => {
    await signInAs(page, SAVER);
    const gold = `Gold ${run}`;
    const copy = `Silver copy ${run}`;

    // Create: Save & Apply asks for a name, then applies the saved filter.
    let p = await openBuilder(page);
    await clause(p, 1, "CONTAINS", "gold");
    await p.getByRole("button", { name: "Save & Apply" }).click();
    const naming = page.getByRole("dialog", { name: "Save filter" });
    await naming.getByLabel("Name").fill(gold);
    await naming.getByRole("button", { name: "Save & Apply" }).click();
    await expect(toast(page, "Filter created")).toBeVisible();
    await expectRows(page, conv.a.name);
    await expect(page.getByTestId("applied-filter")).toHaveText(`Filter: ${gold}`);
    const goldId = new URL(page.url()).searchParams.get("filter");
    expect(goldId).toMatch(/^[0-9a-f-]{36}$/);

    // A second filter of the same name is refused, and the pop-up says why.
    p = await openBuilder(page);
    await p.getByRole("button", { name: "Save & Apply" }).click();
    await naming.getByLabel("Name").fill(gold);
    await naming.getByRole("button", { name: "Save & Apply" }).click();
    await expect(naming.getByRole("alert")).toHaveText(`You already have a filter named "${gold}".`);
    await naming.getByRole("button", { name: "Cancel" }).click();
    await page.keyboard.press("Escape");

    // Edit: change and Save & Apply.
    p = await openSaved(page);
    const item = (name: string) => p.getByTestId("saved-filter").filter({ hasText: name });
    await item(gold).getByRole("button", { name: "Edit" }).click();
    await expect(p.getByRole("tab", { name: "Edit Filter" })).toHaveAttribute("aria-selected", "true");
    await expect(p.getByLabel("Filter name")).toHaveValue(gold);
    await expect(p.getByLabel("Tag value (clause 1)")).toHaveValue("gold");
    await p.getByLabel("Tag value (clause 1)").fill("silver");
    await p.getByRole("button", { name: "Save & Apply" }).click();
    await expect(toast(page, "Filter updated")).toBeVisible();
    await expectRows(page, conv.b.name);
    expect(new URL(page.url()).searchParams.get("filter")).toBe(goldId);

    // Duplicate: the Rename Filter window, then Save.
    p = await openSaved(page);
    await item(gold).getByRole("button", { name: "Duplicate" }).click();
    const rename = page.getByRole("dialog", { name: "Rename Filter" });
    await expect(rename.getByLabel("Name")).toHaveValue(`Copy of ${gold}`);
    await rename.getByLabel("Name").fill(copy);
    await rename.getByRole("button", { name: "Save" }).click();
    await expect(toast(page, "Filter duplicated")).toBeVisible();
    await expect(item(copy)).toBeVisible();

    // Mark as Default: applied when the page opens without an explicit filter.
    await item(copy).getByRole("button", { name: "Mark as Default" }).click();
    await expect(toast(page, "Filter set as default")).toBeVisible();
    await expect(item(copy).getByText("Default", { exact: true })).toBeVisible();
    await page.keyboard.press("Escape");
    await page.goto("/conversations");
    await expect(page).toHaveURL(/[?&]filter=[0-9a-f-]{36}/);
    await expect(page.getByTestId("applied-filter")).toHaveText(`Filter: ${copy}`);
    await expectRows(page, conv.b.name);
    // An explicit choice wins over the default: Clear filters stays cleared.
    await clearFilters(page);
    await expect(rows(page).first()).toBeVisible();
    await expect(page.getByTestId("applied-filter")).toHaveCount(0);

    // Delete: asks first; the default goes with the filter.
    p = await openSaved(page);
    for (const name of [gold, copy]) {
      await item(name).getByRole("button", { name: "Delete" }).click();
      const confirm = page.getByRole("alertdialog", { name: "Delete filter?" });
      await expect(confirm).toContainText(name);
      await confirm.getByRole("button", { name: "Delete" }).click();
      await expect(toast(page, "Filter deleted")).toBeVisible();
      await expect(item(name)).toHaveCount(0);
    }
    await page.goto("/conversations");
    await expect(page).toHaveURL(/\/conversations$/);
  });

  test("a shared filter: colleagues see it with its owner and may not change it; an admin may", async ({
    page,
    browser,
  }) => {
    await signInAs(page, BUILDER);
    const shared = `Team silver ${run}`;
    const p = await openBuilder(page);
    await clause(p, 1, "CONTAINS", "silver");
    await p.getByRole("button", { name: "Save & Apply" }).click();
    const naming = page.getByRole("dialog", { name: "Save filter" });
    await naming.getByLabel("Name").fill(shared);
    await naming.getByLabel("Visible to").selectOption({ label: "Shared with the team" });
    await naming.getByRole("button", { name: "Save & Apply" }).click();
    await expect(toast(page, "Filter created")).toBeVisible();

    const colleague = await newUser(browser, COLLEAGUE);
    const theirs = (await openSaved(colleague)).getByTestId("saved-filter").filter({ hasText: shared });
    await expect(theirs).toContainText(`by ${BUILDER}`);
    await expect(theirs).toContainText("Shared");
    await expect(theirs.getByRole("button", { name: "Edit" })).toBeDisabled();
    await expect(theirs.getByRole("button", { name: "Delete" })).toBeDisabled();
    // Applying it is allowed (the agent's own scope still applies: none of these rows are theirs).
    await theirs.getByRole("link", { name: shared }).click();
    await expect(colleague.getByTestId("applied-filter")).toHaveText(`Filter: ${shared}`);

    const admin = await newUser(browser, ADMIN);
    const adminView = (await openSaved(admin)).getByTestId("saved-filter").filter({ hasText: shared });
    await expect(adminView.getByRole("button", { name: "Edit" })).toBeEnabled();
    await adminView.getByRole("button", { name: "Delete" }).click();
    await admin
      .getByRole("alertdialog", { name: "Delete filter?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await expect(toast(admin, "Filter deleted")).toBeVisible();
    await expect(adminView).toHaveCount(0);
  });
});
