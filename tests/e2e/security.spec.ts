import { expect, type Page, test } from "@playwright/test";
import { sql } from "kysely";
import { e2eDb } from "./support/db.ts";
import { hydrated, signInAs } from "./support/session.ts";

// The review's findings a browser sees: the Content-Security-Policy and other headers (and that the
// pages still work under them), the sign-in page's callbackUrl, sign-out ending the session for a
// copied cookie too, and the audit log's address not taken from a client's X-Forwarded-For.

const ADMIN = "Ada Admin";
const AGENT = "Mia Anderson"; // signs out below: an agent no other spec uses

/** Every CSP violation the page reports, from the DOM event and from the console. */
function collectViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|apply)/i.test(message.text()))
      violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(`pageerror: ${error.message}`));
  return violations;
}

test("pages carry a nonce CSP and the other security headers, and work under them", async ({ page }) => {
  test.slow(); // two sign-ins and six pages
  const violations = collectViolations(page);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const signIn = await page.goto("/sign-in");
  const headers = signIn?.headers() ?? {};
  const csp = headers["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["strict-transport-security"]).toBeUndefined(); // plain HTTP here
  // A fresh nonce per response, and Next's own scripts carry it.
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
  const again = (await page.request.get("/sign-in")).headers()["content-security-policy"];
  expect(again).not.toContain(`'nonce-${nonce}'`);

  // Hydrated and interactive under the policy: signing in is a client-side action.
  await signInAs(page, ADMIN);
  const firstRow = page.getByRole("table", { name: "Conversations" }).getByTestId("conversation-row").first();
  await (await hydrated(firstRow)).click();
  await expect(page).toHaveURL(/open=/);
  for (const path of ["/monitor", "/exports", "/admin", "/admin/audit"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await expect(page.getByRole("main")).toBeVisible();
  }
  const api = await page.request.get("/api/live?probe=1");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(violations).toEqual([]);
});

test("callbackUrl cannot send a signed-in user to another site", async ({ page }) => {
  await signInAs(page, AGENT);
  for (const callbackUrl of [
    "/%09/evil.example",
    "/%5Cevil.example",
    "/%0D%0A/evil.example",
    "//evil.example",
  ]) {
    const res = await page.request.get(`/sign-in?callbackUrl=${callbackUrl}`, { maxRedirects: 0 });
    expect(res.status(), callbackUrl).toBeLessThan(500);
    const location = res.headers().location ?? "";
    expect(new URL(location, "http://parley.test").host, `${callbackUrl} → ${location}`).toBe("parley.test");
    expect(location, callbackUrl).not.toMatch(/^\/[\t\\/]|[\r\n\t]/);
  }
});

test("sign-out ends the session: a copy of the old cookie no longer works", async ({ browser, page }) => {
  test.slow(); // a sign-in, a sign-out and a second browser context
  await signInAs(page, AGENT);
  const cookies = await page.context().cookies();
  expect((await page.request.get("/api/live?probe=1")).status()).toBe(200);
  await page.getByRole("button", { name: /account menu/i }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  // Someone who copied the cookie before the sign-out.
  const copy = await browser.newContext();
  try {
    await copy.addCookies(cookies);
    expect((await copy.request.get("/api/live?probe=1")).status()).toBe(401);
    const res = await copy.request.get("/conversations", { maxRedirects: 0 });
    const next = await copy.newPage();
    await next.goto("/conversations");
    await expect(next).toHaveURL(/\/sign-in/);
    expect(res.status()).toBeLessThan(500);
  } finally {
    await copy.close();
  }
});

test("the audit log does not take a client's X-Forwarded-For for its address", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.77" } });
  const db = e2eDb();
  try {
    const page = await context.newPage();
    const since = new Date();
    await signInAs(page, ADMIN);
    const row = await sql<{ ip: string | null }>`
      select host(ip) as ip from audit_log
      where action = 'auth.sign-in' and created_at >= ${since} order by id desc limit 1`.execute(db);
    expect(row.rows[0]).toBeDefined();
    expect(row.rows[0]?.ip).not.toBe("203.0.113.77");
    expect(row.rows[0]?.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
  } finally {
    await context.close();
    await db.destroy();
  }
});
