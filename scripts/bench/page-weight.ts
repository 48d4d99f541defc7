// What a server-rendered page weighs, and where the bytes go (issue #16): the HTML's markup, the
// RSC payload Next.js inlines for hydration (`self.__next_f.push(…)` scripts), and the <svg>
// elements, split into those drawing their own paths ("inline") and sprite references (<use>).
// The HTTP bench prints it per case; tests/e2e/page-weight.spec.ts holds the list to a budget.
//
//   node scripts/bench/page-weight.ts http://localhost:3200 [path…]
// signs in as the demo supervisor (the demo sign-in must be on) and prints the figures for each
// path (default: the list, a search, and the list with its newest row's panel open).
import { pathToFileURL } from "node:url";
import { printTable } from "./stats.ts";

export type PageWeight = {
  /** Bytes of the whole document (UTF-8). */
  total: number;
  /** Bytes of the inline RSC payload scripts, tags included. */
  flight: number;
  /** Everything else: the document's markup, head and other scripts. */
  markup: number;
  /** <svg> elements in the markup (the payload may name some again). */
  svgs: number;
  /** …of which draw their own paths rather than referencing the sprite with <use>. */
  inlineSvgs: number;
  /** Rows of the Conversations table (data-conversation-row). */
  rows: number;
  /** <svg> elements drawing their own paths inside the Conversations table's body. */
  rowInlineSvgs: number;
};

const FLIGHT = /<script\b[^>]*>self\.__next_f\.push\([\s\S]*?\)<\/script>/g;
const SVG = /<svg\b[^>]*>(\s*<use\b)?/g;

function countSvgs(html: string): { svgs: number; inline: number } {
  let svgs = 0;
  let inline = 0;
  for (const m of html.matchAll(SVG)) {
    svgs++;
    if (!m[1]) inline++;
  }
  return { svgs, inline };
}

export function pageWeight(html: string): PageWeight {
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");
  const total = bytes(html);
  let flight = 0;
  for (const m of html.matchAll(FLIGHT)) flight += bytes(m[0]);
  const markupOnly = html.replace(FLIGHT, "");
  const all = countSvgs(markupOnly);
  // The table's body: from the list table's <tbody> to its end (no tables nest in it).
  const table = markupOnly.indexOf('aria-label="Conversations"');
  const bodyStart = table < 0 ? -1 : markupOnly.indexOf("<tbody", table);
  const body = bodyStart < 0 ? "" : markupOnly.slice(bodyStart, markupOnly.indexOf("</tbody>", bodyStart));
  return {
    total,
    flight,
    markup: total - flight,
    svgs: all.svgs,
    inlineSvgs: all.inline,
    rows: body.match(/data-conversation-row/g)?.length ?? 0,
    rowInlineSvgs: countSvgs(body).inline,
  };
}

export const WEIGHT_COLUMNS = [
  "total KB",
  "markup KB",
  "flight KB",
  "svg",
  "inline svg",
  "rows",
  "row inline svg",
];

export function weightCells(w: PageWeight): string[] {
  const kb = (n: number) => (n / 1024).toFixed(1);
  return [kb(w.total), kb(w.markup), kb(w.flight), w.svgs, w.inlineSvgs, w.rows, w.rowInlineSvgs].map(String);
}

/** The demo user's id, read from the demo sign-in page (its buttons carry each user's id and e-mail). */
async function demoUserId(base: string, email: string): Promise<string> {
  const html = await (await fetch(`${base}/sign-in`)).text();
  const at = html.lastIndexOf(email); // in the RSC payload, after the user's id
  const ids =
    at < 0
      ? []
      : [...html.slice(0, at).matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)];
  const id = ids.at(-1)?.[0];
  if (!id) throw new Error(`${email} is not on ${base}/sign-in (is the demo sign-in on?)`);
  return id;
}

async function main(argv: string[]) {
  const [base, ...given] = argv;
  if (!base) throw new Error("usage: node scripts/bench/page-weight.ts <base URL> [path…]");
  const { signIn } = await import("./http.ts");
  const cookie = await signIn(base, await demoUserId(base, "supervisor@parley.demo"));
  const get = async (path: string) => {
    const res = await fetch(base + path, { headers: { cookie }, redirect: "manual" });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    return res.text();
  };
  let paths = given;
  if (paths.length === 0) {
    const list = await get("/conversations");
    const first = /data-conversation-id="([^"]+)"/.exec(list)?.[1];
    paths = ["/conversations", "/conversations?q=refund", `/conversations?open=${first}`];
  }
  const rows: string[][] = [];
  for (const path of paths) rows.push([path, ...weightCells(pageWeight(await get(path)))]);
  printTable(["page", ...WEIGHT_COLUMNS], rows);
}

// Not a top-level await: http.ts, which main imports, imports this module back.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
