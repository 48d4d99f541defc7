import { type Browser, expect, type Page, test } from "@playwright/test";
import { previewDeletions } from "../../lib/recordings/retention.ts";
import { e2eDb } from "./support/db.ts";
import { hoverForTooltip, signInAs } from "./support/session.ts";

// The admin console, signed in the real way. Specs share one app instance: whatever is changed here
// (settings, a role) is put back, and the accounts other specs rely on are left alone.
const ADMIN = "Ada Admin";
const SUPERVISOR = "Sam Supervisor";
const PROMOTED = "Zoe Clark"; // an agent no other spec uses

async function newSession(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, name);
  return page;
}

const adminTab = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name });

async function saveSettings(page: Page) {
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
}

async function latestAuditRow(page: Page, action: string) {
  await page.goto("/admin/audit");
  await page.getByLabel("Action").selectOption(action);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`action=${action.replace(".", "\\.")}`));
  return page.getByTestId("audit-row").first();
}

// Both change the one settings form, so they run one after the other.
test.describe
  .serial("settings", () => {
    test("an admin changes the retention period: validated, saved, audited, restored", async ({ page }) => {
      await signInAs(page, ADMIN);
      await page.goto("/admin");
      await adminTab(page, "Settings").click();
      const retention = page.getByLabel("Voice recording retention period (days)");
      const before = await retention.inputValue();
      const after = before === "91" ? "92" : "91";

      await retention.fill("0");
      await page.getByRole("button", { name: "Save settings" }).click();
      await expect(page.getByText("Keep recordings for at least 1 day")).toBeVisible();
      await expect(retention).toHaveAttribute("aria-invalid", "true");

      await retention.fill(after);
      await saveSettings(page);

      const row = await latestAuditRow(page, "settings.update");
      await expect(row).toContainText("recording_retention_days");
      await expect(row).toContainText(`${before} → ${after}`);
      await expect(row).toContainText(ADMIN);

      await page.goto("/admin/settings");
      await expect(retention).toHaveValue(after);
      await retention.fill(before);
      await saveSettings(page);
    });

    test("the retention preview shows what a new period would delete before it is saved", async ({
      page,
    }) => {
      await signInAs(page, ADMIN);
      await page.goto("/admin/settings");
      const retention = page.getByLabel("Voice recording retention period (days)");
      const before = await retention.inputValue();
      const preview = page.getByTestId("retention-preview");
      await expect(preview).toContainText("Upcoming deletions");

      await retention.fill("1");
      await expect(preview).toContainText("If you save 1 day");
      const summary = preview.getByTestId("retention-preview-summary");
      await expect(summary).toContainText("would be deleted in the next 30 days");
      // The counts are what retention itself would act on under 1 day, read from the app's database.
      const db = e2eDb();
      try {
        const days = await previewDeletions(db, 1, new Date());
        const recordings = days.reduce((n, d) => n + d.recordings, 0);
        expect(recordings).toBeGreaterThan(0);
        await expect(summary).toContainText(
          new RegExp(`^${recordings.toLocaleString("en-US")} recordings? and`),
        );
      } finally {
        await db.destroy();
      }
      // Nothing was saved: the page read again still has the old period.
      await page.reload();
      await expect(retention).toHaveValue(before);
      await expect(preview).toContainText("Upcoming deletions");
    });

    test("obscuring customer info hides e-mail addresses and phone numbers in the list", async ({ page }) => {
      // Conversations whose customers have an e-mail address and a phone number: other specs put
      // live ones without contact details on top of the list, so the view names them (ids filter).
      const db = e2eDb();
      const withContacts = await db
        .selectFrom("conversations")
        .innerJoin("customers", "customers.id", "conversations.customer_id")
        .select("conversations.id")
        .where("customers.email", "is not", null)
        .where("customers.phone", "is not", null)
        .orderBy("conversations.started_at", "desc")
        .limit(10)
        .execute()
        .finally(() => db.destroy());
      expect(withContacts.length).toBeGreaterThan(0);
      const view = `/conversations?ids=${withContacts.map((c) => c.id).join(",")}`;
      await signInAs(page, ADMIN);
      await page.goto(view);
      const list = page.getByRole("table", { name: "Conversations" });
      await expect(list).toContainText("@"); // off: contact details are shown
      await expect(list).toContainText(/\+\d{8,}/);

      await page.goto("/admin/settings");
      const obscure = page.getByLabel("Obscure customer info");
      await obscure.check();
      await saveSettings(page);
      try {
        await page.goto(view);
        await expect(list.getByTestId("customer-cell").first()).toContainText("User ID usr_");
        const text = (await list.textContent()) ?? "";
        expect(text).not.toContain("@");
        expect(text).not.toMatch(/\+\d{8,}/);
      } finally {
        await page.goto("/admin/settings");
        await obscure.uncheck();
        await saveSettings(page);
      }
    });
  });

test("an API key is shown once, listed by its prefix, and revoked", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto("/admin/api-keys");
  const name = `e2e key ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel(/^write/).check();
  await page.getByRole("button", { name: "Create key" }).click();

  await expect(page.getByText("It will not be shown again")).toBeVisible();
  const token = await page.getByLabel("New API key").inputValue();
  expect(token).toMatch(/^prly_[0-9a-f]{8}_/);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const copy = page.getByRole("button", { name: "Copy" });
  await copy.click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible(); // announced (aria-live)
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByLabel("New API key")).toHaveCount(0);

  await page.reload();
  await expect(page.locator("body")).not.toContainText(token);
  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText(token.slice(0, 13));
  await expect(row).toContainText("read");
  await expect(row).toContainText("write");
  await expect(row).toContainText("Active");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row.getByRole("button", { name: "Cancel" })).toBeFocused();
  await row.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
});

test("a role change applies on the user's next request", async ({ page, browser }) => {
  await signInAs(page, ADMIN);
  await page.goto("/admin");
  const users = page.getByRole("table", { name: "Users" });

  // An admin cannot demote themselves: the control says why.
  const own = users.getByRole("row", { name: new RegExp(ADMIN) });
  const ownRole = own.getByLabel(`Role of ${ADMIN}`);
  await expect(ownRole).toBeDisabled();
  // The wrapper takes the pointer events the disabled select drops.
  await hoverForTooltip(ownRole.locator(".."), /^You cannot change your own role$/);

  const role = users.getByLabel(`Role of ${PROMOTED}`);
  await expect(role).toHaveValue("agent");
  await role.selectOption("supervisor");
  await users.getByRole("button", { name: `Save role of ${PROMOTED}` }).click();
  await expect(users.getByRole("button", { name: `Save role of ${PROMOTED}` })).toHaveCount(0);
  await expect(role).toHaveValue("supervisor");
  try {
    const row = await latestAuditRow(page, "user.change-role");
    await expect(row).toContainText(PROMOTED);
    await expect(row).toContainText("agent → supervisor");

    // As a supervisor now: everyone's conversations, still no Admin.
    const promoted = await newSession(browser, PROMOTED);
    const rows = promoted.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");
    await expect(rows.first()).toBeVisible();
    const agents = await rows.getByTestId("agents-cell").allTextContents();
    expect(agents.some((names) => !names.includes(PROMOTED))).toBe(true);
    await expect(
      promoted.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Admin" }),
    ).toHaveAttribute("aria-disabled", "true");
    await promoted.goto("/admin");
    await expect(promoted.getByRole("heading", { name: "Access restricted" })).toBeVisible();
    await promoted.context().close();
  } finally {
    await page.goto("/admin");
    await role.selectOption("agent");
    await users.getByRole("button", { name: `Save role of ${PROMOTED}` }).click();
    await expect(users.getByRole("button", { name: `Save role of ${PROMOTED}` })).toHaveCount(0);
    await expect(role).toHaveValue("agent");
  }
});

test("the audit log downloads as CSV for admins only", async ({ page, browser, playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get("/api/admin/audit.csv")).status()).toBe(401);

  await signInAs(page, SUPERVISOR);
  for (const path of ["/admin", "/admin/settings", "/admin/api-keys", "/admin/audit"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Access restricted" })).toBeVisible();
  }
  const refused = await page.request.get("/api/admin/audit.csv");
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: "Access restricted" });

  const admin = await newSession(browser, ADMIN);
  await admin.goto("/admin/audit?action=auth.sign-in&actor=nonsense");
  const link = admin.getByRole("link", { name: "Download CSV" });
  await expect(link).toHaveAttribute("href", "/api/admin/audit.csv?action=auth.sign-in");
  const csv = await admin.request.get("/api/admin/audit.csv?action=auth.sign-in");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toContain("id,time_utc,actor_kind");
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((line) => line.includes(",auth.sign-in,"))).toBe(true);
  await admin.context().close();
});

test("a deactivated user is signed out on their next request", async ({ page, browser }) => {
  const DEACTIVATED = "Jonas Fischer"; // an agent no other spec uses
  const user = await newSession(browser, DEACTIVATED);
  await signInAs(page, ADMIN);
  await page.goto("/admin");
  const users = page.getByRole("table", { name: "Users" });
  // Deactivating asks first; Cancel goes back with nothing changed.
  const deactivate = users.getByRole("button", { name: `Deactivate ${DEACTIVATED}` });
  await deactivate.click();
  await expect(
    users.getByText(`Deactivate ${DEACTIVATED}? They are signed out on their next request.`),
  ).toBeVisible();
  await expect(users.getByRole("button", { name: "Cancel" })).toBeFocused();
  await users.getByRole("button", { name: "Cancel" }).click();
  await expect(deactivate).toBeFocused();
  await deactivate.click();
  await users.getByRole("button", { name: "Deactivate user" }).click();
  await expect(users.getByRole("button", { name: `Reactivate ${DEACTIVATED}` })).toBeVisible();
  try {
    // The session cookie is still there, but the next request finds the account deactivated.
    await user.goto("/conversations");
    await expect(user).toHaveURL(/\/sign-in/);
    // ...and the demo sign-in no longer offers the account.
    await expect(user.getByRole("button", { name: new RegExp(DEACTIVATED) })).toHaveCount(0);
  } finally {
    await users.getByRole("button", { name: `Reactivate ${DEACTIVATED}` }).click();
    await expect(users.getByRole("button", { name: `Deactivate ${DEACTIVATED}` })).toBeVisible();
    await user.context().close();
  }
});
