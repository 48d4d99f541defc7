import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";

// The domain folders under lib/ form layers: a domain may use another only if that one does not use
// it back, directly or around a longer loop. Mutual imports are how "one place per concern" erodes
// (a channel constant in ingest that recordings needs, so recordings imports ingest, which imports
// recordings…). Type-only imports are free (erased at run time); everything else counts, including
// re-exports and dynamic import(). Top-level files (lib/db-ranges.ts, lib/random.ts, …) belong to
// no domain. To break a loop, move the shared piece to the domain both may use, or up to lib/.

const LIB = import.meta.dirname;

type Edge = { from: string; to: string; file: string };

/** Runtime imports of one source file: specifiers whose import is not type-only. */
function runtimeImports(source: string): string[] {
  const found: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["']([^"']+)["']/g;
  for (const m of source.matchAll(statement)) {
    const [, , typeOnly, clause = "", target = ""] = m;
    if (typeOnly) continue;
    const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const names = braces?.[1]
      ?.split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    if (names?.length && names.every((n) => n.startsWith("type "))) continue;
    found.push(target);
  }
  for (const m of source.matchAll(/(?:^|[^\w.])import\s+["']([^"']+)["']/g)) found.push(m[1] as string);
  for (const m of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push(m[1] as string);
  return found;
}

/** The domain (first folder under lib/) a path inside lib/ belongs to, or null for top-level files. */
function domainOf(relative: string): string | null {
  const parts = relative.split(path.sep);
  return parts.length > 1 ? (parts[0] as string) : null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

function domainEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(LIB)) {
    const from = domainOf(path.relative(LIB, file));
    if (!from) continue;
    for (const target of runtimeImports(readFileSync(file, "utf8"))) {
      const resolved = target.startsWith("@/")
        ? path.join(LIB, "..", target.slice(2))
        : target.startsWith(".")
          ? path.resolve(path.dirname(file), target)
          : null;
      if (!resolved) continue; // a package
      const relative = path.relative(LIB, resolved);
      if (relative.startsWith("..")) continue; // outside lib/
      const to = domainOf(relative);
      if (to && to !== from) edges.push({ from, to, file: path.relative(LIB, file) });
    }
  }
  return edges;
}

/** Groups of domains that reach each other (strongly connected components with more than one domain). */
function domainCycles(edges: { from: string; to: string }[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!next.has(from)) next.set(from, new Set());
    next.get(from)?.add(to);
  }
  const reach = (start: string) => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length) {
      for (const n of next.get(stack.pop() as string) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
    return seen;
  };
  const reaches = new Map([...next.keys()].map((d) => [d, reach(d)]));
  const groups = new Map<string, string[]>();
  for (const [d, r] of reaches) {
    const group = [...r].filter((o) => o === d || reaches.get(o)?.has(d)).sort();
    if (group.length > 1) groups.set(group.join(","), group);
  }
  return [...groups.values()];
}

describe("lib/ domains", () => {
  test("the scanner reads runtime imports and skips type-only ones", () => {
    const source = [
      'import { a } from "../x/a.ts";',
      'import type { B } from "../y/b.ts";',
      'import {\n  type C,\n  type D,\n} from "../z/c.ts";',
      'import { type E, f } from "../w/e.ts";',
      'export { g } from "../v/g.ts";',
      'const h = await import("../u/h.ts");',
      'import "../t/side-effect.ts";',
    ].join("\n");
    expect(runtimeImports(source).sort()).toEqual(
      ["../t/side-effect.ts", "../u/h.ts", "../v/g.ts", "../w/e.ts", "../x/a.ts"].sort(),
    );
    expect(
      domainCycles([
        { from: "a", to: "b" },
        { from: "b", to: "a" },
        { from: "b", to: "c" },
      ]),
    ).toEqual([["a", "b"]]);
    expect(
      domainCycles([
        { from: "a", to: "b" },
        { from: "b", to: "c" },
        { from: "c", to: "a" },
      ]),
    ).toEqual([["a", "b", "c"]]);
    expect(domainCycles([{ from: "a", to: "b" }])).toEqual([]);
  });

  test("no two domain folders import each other at run time, directly or around a loop", () => {
    const edges = domainEdges();
    // The scan sees the real graph (exports uses auth's scope rule), so an empty answer means something.
    expect(edges.some((e) => e.from === "exports" && e.to === "auth")).toBe(true);
    const cycles = domainCycles(edges);
    const explain = cycles.map((group) =>
      [
        group.join(" ⇄ "),
        ...edges
          .filter((e) => group.includes(e.from) && group.includes(e.to))
          .map((e) => `  lib/${e.file} → lib/${e.to}`),
      ].join("\n"),
    );
    expect(explain).toEqual([]);
  });
});
