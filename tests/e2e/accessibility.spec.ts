import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { e2eDb } from "./support/db.ts";
import { diagnosticsConversations } from "./support/diagnostics.ts";
import { signInAs } from "./support/session.ts";

// axe-core (an independent checker) on every page, as every role, in light and dark, with the
// menus and dialogs open: no critical or serious violation anywhere.
type Role = "admin" | "supervisor" | "agent";
const USERS: Record<Role, string> = { admin: "Ada Admin", supervisor: "Sam Supervisor", agent: "Alex Agent" };

type Found = { state: string; rule: string; impact: string; targets: string[]; help: string };

// Whole pages are scanned with every rule in the light scheme. The dark scheme changes colours
// only, so there axe checks colour contrast alone (every rule again would double a slow spec for
// nothing). Open menus and dialogs are scanned on their own (the page behind was scanned already).
let scheme: "light" | "dark" = "light";

async function scan(page: Page, state: string, found: Found[], include?: string) {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  if (scheme === "dark") builder = builder.withRules(["color-contrast"]);
  const result = await test.step(`axe: ${state}`, () => builder.analyze());
  for (const v of result.violations) {
    if (v.impact !== "critical" && v.impact !== "serious") continue;
    found.push({
      state,
      rule: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      help: v.help,
    });
  }
}

/** Opens something (a menu, a dialog), scans the page with it open, closes it with Escape. */
async function scanOpen(page: Page, state: string, found: Found[], open: () => Promise<void>, shown: string) {
  await test.step(`open: ${state}`, open);
  await expect(page.getByRole(shown as "menu" | "dialog").first()).toBeVisible();
  await scan(page, state, found, `[role="${shown}"]`);
  await expect(async () => {
    await page.keyboard.press("Escape");
    await expect(page.getByRole(shown as "menu" | "dialog")).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
}

/** Every tab of the tab list labelled `label`, each scanned once selected. */
async function scanTabs(page: Page, label: string, state: string, found: Found[]) {
  const tabs = page.getByRole("tablist", { name: label }).getByRole("tab");
  await expect(tabs.first()).toBeVisible();
  const names = await tabs.allTextContents();
  for (const [i, name] of names.entries()) {
    const tab = tabs.nth(i);
    await tab.click();
    await expect(tab).toHaveAttribute("aria-selected", "true");
    // The first tab with the page around it; the others by themselves.
    await scan(page, `${state}, ${name} tab`, found, i === 0 ? undefined : '[role="tabpanel"]');
  }
}

let ids: { conversation: string; call: string };
test.beforeAll(async () => {
  const db = e2eDb();
  try {
    const calls = await diagnosticsConversations(db);
    ids = { conversation: calls.agentCall, call: calls.agentCall };
  } finally {
    await db.destroy();
  }
});

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });
    test.beforeEach(() => {
      scheme = colorScheme;
    });

    test("sign-in page", async ({ page }) => {
      const found: Found[] = [];
      await page.goto("/sign-in");
      await scan(page, "sign-in", found);
      expect(found).toEqual([]);
    });

    for (const role of ["supervisor", "agent", "admin"] as const) {
      test(`every page and its menus and dialogs, as ${role}`, async ({ page }) => {
        test.setTimeout(600_000); // many scans of large pages, on a busy machine
        const found: Found[] = [];
        await signInAs(page, USERS[role]);
        if (role !== "admin") {
          // 25 rows: every kind of row and cell, at half the scanning time of 50.
          await page.goto("/conversations?size=25");
          await expect(page.getByTestId("live-status")).toHaveAttribute("data-state", "live");
          await scan(page, "conversations", found);
          const menus: [string, () => Promise<void>, string][] = [
            [
              "row menu",
              () =>
                page
                  .getByRole("button", { name: /^Actions for / })
                  .first()
                  .click(),
              "menu",
            ],
            [
              "export menu",
              () =>
                page
                  .getByRole("button", { name: /^Export/ })
                  .first()
                  .click(),
              "menu",
            ],
            ["view menu", () => page.getByRole("button", { name: "View", exact: true }).click(), "menu"],
            ["user menu", () => page.getByRole("button", { name: /^Account menu for / }).click(), "menu"],
            ["notifications", () => page.getByRole("button", { name: /^Notifications/ }).click(), "dialog"],
            ["filter dialog", () => page.getByRole("button", { name: /^Filter/ }).click(), "dialog"],
            [
              "saved filters dialog",
              () => page.getByRole("button", { name: "Saved filters" }).click(),
              "dialog",
            ],
            ["keyboard shortcuts", () => page.keyboard.press("?"), "dialog"],
          ];
          if (role === "agent" || scheme === "dark") menus.splice(2); // the rest as the supervisor, light
          for (const [state, open, shown] of menus)
            await scanOpen(page, `conversations, ${state}`, found, open, shown);

          // The Insights panel of a call the demo agent took part in, every tab.
          await page.goto(`/conversations?open=${ids.conversation}`);
          await expect(page.getByTestId("insights-panel")).toBeVisible({ timeout: 30_000 });
          await scanTabs(page, "Insights to Logs", "panel", found);

          await page.goto(`/diagnostics/${ids.call}`);
          await scanTabs(page, "Diagnostics", "diagnostics", found);
        }
        const pages =
          role === "admin"
            ? [
                "/admin",
                "/admin/settings",
                "/admin/audit",
                "/admin/api-keys",
                "/admin/webhooks",
                "/admin/outbox",
              ]
            : role === "agent"
              ? ["/monitor", "/admin"] // Admin: Access restricted
              : [
                  "/monitor",
                  "/exports",
                  "/api-docs",
                  "/conversations?q=refund", // a search: snippets and highlights
                  `/print/transcript/${ids.conversation}`,
                ];
        for (const path of pages) {
          await page.goto(path);
          await expect(page.locator("h1").first()).toBeVisible();
          await scan(page, path, found);
        }
        expect(found).toEqual([]);
      });
    }
  });
}
