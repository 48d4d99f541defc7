import { expect, test } from "@playwright/test";
import { pageWeight } from "../../scripts/bench/page-weight.ts";
import { signInAs } from "./support/session.ts";

// Page weight (issue #16): a list page of 50 rows was 835 KB on the demo data (380 KB of markup,
// 456 KB of RSC payload inlined for hydration, 288 <svg>s), and rendering it, not the database, is
// what a web process spends its time on. When these budgets were set the demo supervisor's list was
// 201 KB, a search 225 KB and the list with the panel open 246 KB; each budget leaves ~15% for new
// columns and fields, far below where the page was (the target for the 1M set, ≤ 150 KB a
// list page, is not reached yet). `node scripts/bench/page-weight.ts <url>` prints the same figures.
const BUDGET = { list: 230 * 1024, search: 260 * 1024, panel: 285 * 1024 };

test("the list, a search and the panel stay within their byte budgets; no row draws an icon inline", async ({
  page,
}) => {
  await signInAs(page, "Sam Supervisor");
  const get = async (path: string) => {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(200);
    return pageWeight(await res.text());
  };

  const list = await get("/conversations");
  expect(list.rows).toBe(50);
  // Icons repeated on every row come from the sprite (components/icon-sprite.tsx).
  expect(list.rowInlineSvgs).toBe(0);
  expect(list.total, JSON.stringify(list)).toBeLessThanOrEqual(BUDGET.list);

  const search = await get("/conversations?q=refund");
  expect(search.rows).toBeGreaterThan(0);
  expect(search.rowInlineSvgs).toBe(0);
  expect(search.total, JSON.stringify(search)).toBeLessThanOrEqual(BUDGET.search);

  const id = await page.getByTestId("conversation-row").first().getAttribute("data-conversation-id");
  const panel = await get(`/conversations?open=${id}`);
  expect(panel.rows).toBe(50);
  expect(panel.total, JSON.stringify(panel)).toBeLessThanOrEqual(BUDGET.panel);
});
