import { expect, test } from "@playwright/test";

// public/: the favicon, app icons and web manifest are served without a session and named by the
// root layout's metadata on every page (the sign-in page too).
test("favicon, app icons and web manifest are served and linked from the pages", async ({
  page,
  request,
}) => {
  await page.goto("/sign-in");
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(manifestHref).toBe("/manifest.webmanifest");
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute("href", "/apple-touch-icon.png");

  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect([...(await favicon.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]); // ICO header
  const manifest = await (await request.get(manifestHref as string)).json();
  expect(manifest.name).toBe("Parley");
  for (const icon of manifest.icons as { src: string; type: string }[]) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()["content-type"], icon.src).toContain(icon.type.split("+")[0]);
  }
});
