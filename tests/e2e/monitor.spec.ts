import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { seedLiveConversations } from "../helpers/live-conversations.ts";
import { e2eDb } from "./support/db.ts";
import { signInAs } from "./support/session.ts";

// Monitor at real size: 2,000 conversations in progress arrive through ingest (a fixture, not the
// demo); the supervisor finds one far down the list by searching and opens Supervisor View on it.
// Tagged @live: the seeded conversations become the newest, after the specs that read by position.
test("Monitor with 2,000 live conversations finds one by search and opens Supervisor View", {
  tag: "@live",
}, async ({ page }) => {
  test.slow(); // the fixture ingests 2,000 conversations first
  const tag = randomUUID().slice(0, 6);
  const db = e2eDb();
  try {
    await seedLiveConversations(db, { count: 2000, tag });
  } finally {
    await db.destroy();
  }
  await signInAs(page, "Sam Supervisor");
  await page.goto("/monitor");
  await expect(page.getByRole("table", { name: "Conversations in progress" }).getByRole("row")).toHaveCount(
    51,
  );
  await expect(page.getByRole("navigation", { name: "Monitor pages" })).toBeVisible();

  const name = `Live Caller ${tag}-1234`; // one of the oldest: nowhere near the first page
  await page.getByRole("searchbox", { name: "Search" }).fill(name);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  const rows = page.getByTestId("live-conversation-row");
  await expect(rows).toHaveCount(1);
  await rows.getByRole("link", { name }).click();

  const panel = page.getByTestId("supervisor-actions");
  await expect(panel).toContainText(name);
  await expect(rows).toHaveAttribute("aria-current", "true");
  await expect(panel.getByRole("button", { name: "Join Conversation" })).toBeEnabled();
  await expect(page.getByText("That conversation is no longer in progress")).toHaveCount(0);
});
