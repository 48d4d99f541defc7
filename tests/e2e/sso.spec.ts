import { expect, type Page, test } from "@playwright/test";
import { ssoBaseURL } from "../../playwright.config.ts";

// Signs in through a real OpenID Connect provider (tests/e2e/support/oidc-server.ts, authorization
// code + PKCE) against the app instance configured for SSO. The provider puts `groups` in its
// claims; OIDC_ROLE_MAP's defaults map parley-admins/-supervisors/-agents to Parley roles.
test.use({ baseURL: ssoBaseURL });

async function signInWithSso(page: Page, login: string) {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: /Sam Supervisor/ })).toHaveCount(0); // no demo sign-in
  await page.getByRole("button", { name: "Sign in with SSO" }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click(); // consent
  await expect(page).toHaveURL(`${ssoBaseURL}/conversations`);
}

async function openUserMenu(page: Page) {
  await page.getByRole("button", { name: /account menu|user menu/i }).click();
}

test("a supervisor from the IdP is provisioned with the mapped role, sees every conversation and signs out", async ({
  page,
}) => {
  await signInWithSso(page, "super-visor");
  const rows = page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row");
  await expect(rows).toHaveCount(50);
  await openUserMenu(page);
  await expect(page.getByRole("menu")).toContainText("Super Visor");
  await expect(page.getByRole("menu")).toContainText("Supervisor");
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/conversations");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an agent from the IdP only sees conversations they joined (none yet) and no admin console", async ({
  page,
}) => {
  await signInWithSso(page, "agent-new");
  await expect(page.getByText("No conversations yet")).toBeVisible();
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Access restricted" })).toBeVisible();
});

test("an admin from the IdP opens the admin console", async ({ page }) => {
  await signInWithSso(page, "admin-ops");
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Access restricted" })).toHaveCount(0);
  await expect(page.getByRole("table").first()).toBeVisible();
});
