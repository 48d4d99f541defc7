import { expect, type Page, test } from "@playwright/test";
import { hoverForTooltip, signInAs } from "./support/session.ts";

// Demo users created by the seed (db/seed): Sam Supervisor sees everything; Alex Agent takes part
// in at least 40 of the ~2,000 conversations.
const SUPERVISOR = "Sam Supervisor";
const AGENT = "Alex Agent";

const conversationRows = (page: Page) =>
  page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");

async function agentsPerRow(page: Page): Promise<string[][]> {
  const rows = await conversationRows(page).all();
  return Promise.all(
    rows.map((row) => row.getByTestId("agents-cell").getByRole("listitem").allTextContents()),
  );
}

test("signed-out visitors are sent to sign-in and come back where they were going", async ({ page }) => {
  await page.goto("/monitor");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fmonitor$/);
  await page.getByRole("button", { name: new RegExp(SUPERVISOR) }).click();
  await expect(page).toHaveURL(/\/monitor$/);
  await expect(page.getByRole("heading", { name: "Monitor" })).toBeVisible();
});

test("a supervisor sees the newest 50 conversations, handled by several agents", async ({ page }) => {
  await signInAs(page, SUPERVISOR);
  await expect(conversationRows(page)).toHaveCount(50);
  const names = new Set((await agentsPerRow(page)).flat());
  expect(names.size).toBeGreaterThan(2);
});

test("an agent sees only conversations they took part in, then signs out", async ({ page }) => {
  await signInAs(page, AGENT);
  await expect(conversationRows(page).first()).toBeVisible();
  const rows = await agentsPerRow(page);
  expect(rows.length).toBeGreaterThanOrEqual(40);
  for (const agents of rows) expect(agents).toContain(AGENT);

  await page.getByRole("button", { name: /account menu/i }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/conversations");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fconversations$/);
});

test("an agent opening /admin is told access is restricted", async ({ page }) => {
  await signInAs(page, AGENT);
  const adminLink = page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Admin" });
  await expect(adminLink).toHaveAttribute("aria-disabled", "true");
  await hoverForTooltip(adminLink, /^Access restricted$/);

  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Access restricted" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Users" })).toHaveCount(0);
  // Not a dead end: the page links back to what the agent may open.
  await page.getByRole("link", { name: "Go to Conversations" }).click();
  await expect(page).toHaveURL(/\/conversations(\?|$)/);
});

test("an admin sees the users and their roles", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("region", { name: "Admin" }).getByRole("button").first().click();
  await expect(page).toHaveURL(/\/conversations(\?|$)/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  const users = page.getByRole("table", { name: "Users" });
  await expect(users.getByRole("row", { name: new RegExp(SUPERVISOR) })).toContainText("Supervisor");
  await expect(users.getByRole("row", { name: new RegExp(AGENT) })).toContainText("Agent");
});
