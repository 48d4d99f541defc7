import { expect, type Page, test } from "@playwright/test";
import { sql } from "kysely";
import { formatStandardTimestamp } from "../../lib/conversations/transcript-time.ts";
import { formatDateTime } from "../../lib/time/format.ts";
import { e2eDb } from "./support/db.ts";
import { diagnosticsConversations } from "./support/diagnostics.ts";
import { signInAs } from "./support/session.ts";

// One clock: the server (UTC here) renders every time in the viewer's zone, so the first paint, the
// hydrated page and client navigations all read the same. The browser runs in a third zone.
// The spec signs in its own supervisor: a first sign-in stores the browser's zone, so a demo user that
// another spec signs in first (in the machine's UTC) would already have one.
const USER = "Clock Reader";
const USER_EMAIL = "clock.reader@parley.test";
const BROWSER_ZONE = "Asia/Tokyo";
const USER_ZONE = "America/New_York";
test.use({ timezoneId: BROWSER_ZONE });

/** Hydration mismatches (React #418) and other page errors, collected while the test runs. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error" && /418|hydrat/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

test("times are in the user's zone on first paint, after hydration and after client navigation", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000); // several full page loads on a busy machine
  const errors = watchErrors(page);
  const db = e2eDb();
  await db
    .insertInto("users")
    .values({ name: USER, email: USER_EMAIL, role: "supervisor" })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doUpdateSet({ time_zone: null }))
    .execute();
  await signInAs(page, USER);

  // The first sign-in adopted the browser's zone; the user menu shows it and changes it.
  await page.getByRole("button", { name: `Account menu for ${USER}` }).click();
  await expect(page.getByTestId("user-time-zone")).toHaveText(BROWSER_ZONE.replace("_", " "));
  await page.getByRole("menuitem", { name: /Time zone/ }).click();
  const dialog = page.getByRole("dialog", { name: "Time zone" });
  await dialog.getByRole("combobox", { name: "Time zone" }).selectOption(USER_ZONE);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  const firstTime = page.getByTestId("start-time-cell").first().locator("time");
  await expect(firstTime).toBeVisible({ timeout: 30_000 });
  const iso = await firstTime.getAttribute("datetime");
  expect(iso).toBeTruthy();
  const expected = formatDateTime(new Date(iso as string), USER_ZONE);
  expect(expected).not.toBe(formatDateTime(new Date(iso as string), "UTC"));
  expect(expected).not.toBe(formatDateTime(new Date(iso as string), BROWSER_ZONE));
  await expect(firstTime).toHaveText(expected);

  // First paint: the server's HTML, and the page with JavaScript off (nothing hydrates).
  const html = await (await page.request.get("/conversations")).text();
  // React writes the attribute as dateTime (HTML attribute names are case-insensitive).
  expect(html.toLowerCase()).toContain(`<time datetime="${iso}">${expected}</time>`.toLowerCase());
  const noJs = await browser.newContext({
    javaScriptEnabled: false,
    timezoneId: BROWSER_ZONE,
    storageState: await page.context().storageState(),
  });
  const staticPage = await noJs.newPage();
  await staticPage.goto("/conversations");
  await expect(staticPage.getByTestId("start-time-cell").first().locator("time")).toHaveText(expected);
  await noJs.close();

  // After a full load and hydration (the row menu works only once hydrated).
  await page.reload();
  await page
    .getByRole("button", { name: /^Actions for / })
    .first()
    .click();
  await expect(page.getByRole("menu")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(firstTime).toHaveText(expected);

  // After client navigation away and back, and in the panel opened from the row.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Monitor" }).click();
  await expect(page).toHaveURL(/\/monitor/, { timeout: 30_000 });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Conversations" }).click();
  await expect(page).toHaveURL(/\/conversations/);
  await expect(firstTime).toHaveText(expected, { timeout: 30_000 });
  await page.getByTestId("customer-cell").first().getByRole("link").click();
  const panel = page.getByTestId("insights-panel");
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await page.getByRole("tab", { name: "Details", exact: true }).click();
  await expect(panel.getByTestId("field-Start")).toContainText(expected);

  // The transcript's times use the same zone (Standard Timestamps, the default format).
  const id = new URL(page.url()).searchParams.get("open") as string;
  const first = await db
    .selectFrom("messages")
    .select("sent_at")
    .where("conversation_id", "=", id)
    .orderBy("seq")
    .executeTakeFirst();
  const calls = await diagnosticsConversations(db).finally(() => db.destroy());
  if (first) {
    await page.getByRole("tab", { name: "Transcript", exact: true }).click();
    await expect(panel.getByTestId("transcript-time").first()).toHaveText(
      formatStandardTimestamp(first.sent_at, USER_ZONE),
    );
  }

  // Diagnostics loaded directly on its QoS tab hydrates without a mismatch (React #418).
  await page.goto(`/diagnostics/${calls.agentCall}?tab=qos`);
  await expect(page.getByRole("tabpanel")).toBeVisible();
  await page.getByRole("tab", { name: "Flow" }).click();
  await expect(page.getByRole("tab", { name: "Flow" })).toHaveAttribute("aria-selected", "true");
  expect(errors).toEqual([]);
});
