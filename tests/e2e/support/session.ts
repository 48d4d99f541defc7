import { type Browser, expect, type Locator, type Page } from "@playwright/test";

/** Signs in with the demo sign-in as the named user; lands on the Conversations list. */
export async function signInAs(page: Page, name: string) {
  await page.goto("/sign-in");
  // As a person would: after the page has loaded. The sign-in form works before hydration too, but
  // then the browser's time zone (set by a client effect) is not known at the first sign-in.
  await (await hydrated(page.getByRole("button", { name: new RegExp(name) }))).click();
  // The first page after sign-in renders the whole list: allow for a busy 2-core machine.
  await expect(page).toHaveURL(/\/conversations$/, { timeout: 30_000 });
}

/** A page in a browser context of its own, signed in as the named user (several users at once). */
export async function signedIn(browser: Browser, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, name);
  return page;
}

/** Selects the tab called `name` and returns its panel once shown. */
export async function openTab(page: Page, name: string): Promise<Locator> {
  const tab = page.getByRole("tab", { name, exact: true });
  // A click that lands before hydration selects nothing: click again until the tab says it is selected.
  await expect(async () => {
    await tab.click();
    await expect(tab).toHaveAttribute("aria-selected", "true", { timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  const panel = page.getByRole("tabpanel", { name, exact: true });
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * Hovers `trigger` until its tooltip shows (containing `text`, or matching it, when given) and returns
 * the tooltip. Check its text here, not afterwards: a live update may close it again.
 * Retried from a pointer moved away: right after a navigation the trigger may not be hydrated yet,
 * so the first hover opens nothing, and a tooltip still closing may cover the trigger.
 */
export async function hoverForTooltip(trigger: Locator, text?: string | RegExp): Promise<Locator> {
  const page = trigger.page();
  const tooltip = page.getByRole("tooltip");
  await expect(async () => {
    await page.mouse.move(0, 0);
    await trigger.hover();
    if (text === undefined) await expect(tooltip).toBeVisible({ timeout: 2000 });
    else await expect(tooltip).toContainText(text, { timeout: 2000 });
  }).toPass();
  return tooltip;
}

/**
 * Waits until React has hydrated `target` (its event handlers are attached): a click that lands on
 * server HTML before hydration does nothing. React keeps its props on the hydrated DOM node.
 */
export async function hydrated(target: Locator): Promise<Locator> {
  await expect
    .poll(() => target.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps$"))), {
      timeout: 30_000,
    })
    .toBe(true);
  return target;
}
