import { expect, type Page, test } from "@playwright/test";
import { LIST_COLUMNS } from "../../lib/conversations/list-columns.ts";
import { signInAs } from "./support/session.ts";

// The list fits every desk: at each window size no element sticks out sideways (only the table
// scrolls, inside its own area), every spec column header can be scrolled into view, and the panel
// and dialogs move focus properly. Priya Raman is signed in by no other spec: this one changes her
// saved column choice and density.
const USER = "Priya Raman";
const COLUMNS = ["Customer", ...LIST_COLUMNS.map((c) => c.label)];
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
];

/** Elements (outside scroll areas and visually hidden text) whose box leaves the window sideways. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width + 1)
      out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.querySelectorAll<HTMLElement>("body *")) {
      if (el.closest("[data-scroll-area], .sr-only, [hidden], script, style, template")) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 1 || box.left < -1) {
        out.push(
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${el.className.toString().slice(0, 60)} [${Math.round(box.left)}, ${Math.round(box.right)}]`,
        );
      }
    }
    return out.slice(0, 10);
  });
}

const table = (page: Page) => page.getByRole("table", { name: "Conversations" });

// Every test here loads the whole list several times: allow for a busy machine.
test.beforeEach(() => test.slow());

/** Signed in, rows shown and the page hydrated (the live stream's effect has run). */
async function signedIn(page: Page) {
  await signInAs(page, USER);
  await ready(page);
}

async function ready(page: Page) {
  await expect(table(page).getByTestId("conversation-row").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live", { timeout: 30_000 });
}

for (const size of SIZES) {
  test(`${size.width}×${size.height}: nothing overflows, every column is reachable`, async ({ page }) => {
    await page.setViewportSize(size);
    await signedIn(page);
    expect(await overflowing(page)).toEqual([]);
    for (const name of COLUMNS) {
      // Sortable headers are named by their link ("Start Time, newest first. Sort …").
      const header = table(page).getByRole("columnheader", {
        name: new RegExp(`^${name.replace("/", "\\/")}`),
      });
      await header.scrollIntoViewIfNeeded();
      await expect(header).toBeInViewport();
    }
    // The header row stays on screen while the table scrolls.
    await page.getByTestId("table-scroll").evaluate((el) => el.scrollBy(0, 400));
    await expect(table(page).getByRole("columnheader", { name: "Customer", exact: true })).toBeInViewport();

    await page.goto("/exports");
    await expect(page.getByRole("heading", { name: "Exports" })).toBeVisible();
    expect(await overflowing(page)).toEqual([]);
  });
}

test("column chooser and compact density are saved for the user", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signedIn(page);
  const view = page.getByRole("button", { name: "View" });
  await view.click();
  await page.getByRole("menuitemcheckbox", { name: "Skills" }).click();
  await page.getByRole("menuitemradio", { name: "Compact" }).click();
  await page.keyboard.press("Escape");
  await page.reload();
  await ready(page);
  await expect(table(page).getByRole("columnheader", { name: "Skills" })).toHaveCount(0);
  const heights = await table(page)
    .getByTestId("conversation-row")
    .evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
  expect(heights.length).toBeGreaterThan(0);
  expect(Math.max(...heights)).toBeLessThanOrEqual(44);
  // Back to every column, comfortable.
  await view.click();
  await page.getByRole("menuitemcheckbox", { name: "Skills" }).click();
  await page.getByRole("menuitemradio", { name: "Comfortable" }).click();
  await page.keyboard.press("Escape");
  await page.reload();
  await ready(page);
  await expect(table(page).getByRole("columnheader", { name: "Skills" })).toHaveCount(1);
});

test("the panel as a side sheet: focus moves in, stays in, Esc closes it and focus returns to the row", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signedIn(page);
  const row = table(page).getByTestId("conversation-row").nth(1);
  const id = await row.getAttribute("data-conversation-id");
  await row.getByTestId("start-time-cell").click(); // a click on the row itself opens it
  const panel = page.getByRole("dialog", { name: "Conversation details" });
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(new RegExp(`open=${id}`));
  await expect.poll(() => panel.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  for (let i = 0; i < 25; i++) await page.keyboard.press("Tab");
  expect(await panel.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Shift+Tab");
  expect(await panel.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(page.locator(`[data-conversation-id="${id}"]`)).toBeFocused();
});

test("a phone: a menu button for the navigation, the panel full screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signedIn(page);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await page.getByRole("button", { name: "Menu", exact: true }).click();
  const menu = page.getByRole("dialog", { name: "Menu" });
  await menu.getByRole("link", { name: "Monitor" }).click();
  await expect(page).toHaveURL(/\/monitor/);
  await expect(menu).toBeHidden();
  await page.goto("/conversations");
  await ready(page);
  await table(page).getByTestId("customer-cell").first().getByRole("link").click();
  const panel = page.getByRole("dialog", { name: "Conversation details" });
  await expect(panel).toBeVisible({ timeout: 30_000 });
  const box = await panel.boundingBox();
  expect(box?.width).toBe(390);
});

test("Filter and Saved filters dialogs fit an 800 px window and give focus back to their button", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signedIn(page);
  const filter = page.getByRole("button", { name: /^Filter/ });
  await filter.click();
  const dialog = page.getByRole("dialog", { name: "Filters" });
  await expect(dialog.getByRole("button", { name: "Apply", exact: true })).toBeInViewport();
  // Long pickers are searchable.
  const agents = dialog.getByRole("searchbox", { name: "Search agents" });
  await agents.fill("zzz-nobody");
  await expect(dialog.getByText("No agents match")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(filter).toBeFocused();

  const saved = page.getByRole("button", { name: "Saved filters" });
  await saved.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(saved).toBeFocused();

  // ? lists the keyboard shortcuts.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
});

test("active filters show as chips; removing one narrows no more", async ({ page }) => {
  await signedIn(page);
  await page.goto("/conversations?channel=voice,chat&filter=none");
  await ready(page);
  const chips = page.getByRole("list", { name: "Active filters" });
  await expect(chips.getByRole("link")).toHaveCount(1);
  await expect(page.getByTestId("list-subtitle")).toContainText("narrowed by 1 filter");
  await chips.getByRole("link", { name: /^Remove filter Channel: Voice, Chat$/ }).click();
  await expect(page).not.toHaveURL(/channel=/, { timeout: 30_000 });
  await expect(chips).toHaveCount(0);
});
