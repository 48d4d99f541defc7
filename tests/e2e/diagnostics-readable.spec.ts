import { expect, type Page, test } from "@playwright/test";
import { e2eDb } from "./support/db.ts";
import { diagnosticsConversations } from "./support/diagnostics.ts";
import { hydrated, signInAs } from "./support/session.ts";

// Diagnostics and Monitor as a reader meets them: a direct link to the QoS tab hydrates cleanly, and
// on a 390×844 phone nothing pushes the page sideways (tables scroll inside their own areas).
let callId: string;

// A diagnostics page renders every tab's content with the page; allow for a busy machine.
test.describe.configure({ timeout: 90_000 });

test.beforeAll(async () => {
  const db = e2eDb();
  try {
    callId = (await diagnosticsConversations(db)).agentCall;
  } finally {
    await db.destroy();
  }
});

/** Console errors and uncaught page errors, collected from now on. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    // Chromium asks every page for /favicon.ico, which Parley does not serve (a 404 of its own).
    if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

for (const tab of ["qos", "agents", "flow"]) {
  test(`/diagnostics/<id>?tab=${tab} loaded directly hydrates without an error`, async ({ page }) => {
    await signInAs(page, "Sam Supervisor");
    const errors = collectErrors(page);
    await page.goto(`/diagnostics/${callId}?tab=${tab}`);
    await expect(page.getByRole("tabpanel")).toBeVisible();
    // Hydration is done once a client-only handler works: switching tabs writes the URL.
    const other = tab === "flow" ? "QoS" : "Flow";
    await page.getByRole("tab", { name: other, exact: true }).click();
    await expect(page.getByRole("tab", { name: other, exact: true })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    expect(errors).toEqual([]);
  });
}

test("a tab is selected at once while the router is still busy, and the URL follows", async ({ page }) => {
  await signInAs(page, "Sam Supervisor");
  await page.goto(`/diagnostics/${callId}`); // Flow, the first tab
  const qos = await hydrated(page.getByRole("tab", { name: "QoS", exact: true }));
  // A refresh whose server answer has not arrived (a slow server, a live update in flight): the
  // router applies a new URL only after it, so a tab that waits for the URL would not switch.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (url) => url.pathname.startsWith("/diagnostics/"),
    async (route) => {
      if (route.request().headers().rsc !== "1") return route.continue();
      await held;
      await route.continue().catch(() => {}); // the page may be gone by then
    },
  );
  const refreshing = page.waitForRequest((r) => r.headers().rsc === "1");
  await page.evaluate(() =>
    (window as unknown as { next: { router: { refresh(): void } } }).next.router.refresh(),
  );
  await refreshing;
  await qos.click();
  await expect(qos).toHaveAttribute("aria-selected", "true", { timeout: 3000 });
  await expect(page).toHaveURL(/[?&]tab=qos(&|$)/);
  release();
  await expect(qos).toHaveAttribute("aria-selected", "true");
});

/**
 * Elements whose right edge passes the viewport while no ancestor scrolls them horizontally: what
 * pushes a phone's page sideways. Scroll areas (overflow-x auto/scroll/hidden) contain their content.
 */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const contained = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1 || contained(el)) continue;
      const style = getComputedStyle(el);
      if (style.position === "fixed" || style.visibility === "hidden") continue;
      out.push(
        `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} right=${Math.round(r.right)}`,
      );
    }
    if (document.documentElement.scrollWidth > width + 1)
      out.unshift(`page scrollWidth=${document.documentElement.scrollWidth}`);
    return out;
  });
}

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  for (const tab of ["flow", "qos", "agents"]) {
    test(`Diagnostics ${tab} does not overflow the page`, async ({ page }) => {
      await signInAs(page, "Sam Supervisor");
      await page.goto(`/diagnostics/${callId}?tab=${tab}`);
      await expect(page.getByRole("tabpanel")).toBeVisible();
      expect(await overflowing(page)).toEqual([]);
    });
  }

  test("Monitor does not overflow the page", async ({ page }) => {
    await signInAs(page, "Sam Supervisor");
    await page.goto("/monitor");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await overflowing(page)).toEqual([]);
  });
});
