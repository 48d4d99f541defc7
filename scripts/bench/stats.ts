// Timing and table printing shared by the benchmarks.

export type Timing = { p50: number; p95: number };

/**
 * `warmup` untimed rounds (2 unless said), then `n` timed rounds of all cases in turn (so outside
 * load falls on each alike).
 */
export async function time<const T extends readonly (() => Promise<unknown>)[]>(
  n: number,
  cases: T,
  warmup = 2,
): Promise<{ [K in keyof T]: Timing }> {
  const ms = cases.map((): number[] => []);
  for (let round = -warmup; round < n; round++) {
    for (const [i, run] of cases.entries()) {
      const started = performance.now();
      await run();
      if (round >= 0) ms[i]?.push(performance.now() - started);
    }
  }
  return ms.map(summary) as { [K in keyof T]: Timing };
}

/** The p-th percentile (nearest rank) of numbers sorted ascending; NaN for none. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(xs: number[]): Timing {
  xs.sort((a, b) => a - b);
  return { p50: percentile(xs, 50), p95: percentile(xs, 95) };
}

export function fmt({ p50, p95 }: Timing): string {
  return `${p50.toFixed(1)} / ${p95.toFixed(1)}`;
}

export function printTable(header: string[], body: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(line(row));
}

/**
 * Exit code of a bench that ran but missed its targets (figures are still valid); a thrown error
 * exits 1. `npm run bench -- smoke` accepts this one: a tiny data set on a busy machine says
 * nothing about the targets, only that the bench still works.
 */
export const TARGETS_MISSED = 3;
