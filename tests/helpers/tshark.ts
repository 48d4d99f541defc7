import { readFileSync } from "node:fs";
import path from "node:path";

// Reads the tshark outputs stored beside the diagnostics fixtures (see their README).

export const diagnosticsFixtures = path.join(import.meta.dirname, "../fixtures/diagnostics");

export function loadFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(diagnosticsFixtures, name)));
}

/** Rows of a `tshark -T fields -E header=y` file, keyed by field name. */
export function readTsv(name: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(path.join(diagnosticsFixtures, name), "utf8").trimEnd().split("\n");
  const names = (head ?? "").split("\t");
  return rows.map((row) => {
    const cells = row.split("\t");
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ""]));
  });
}

/** "1795614439.058154184" → 1795614439058154 µs, without going through a float. */
export function epochToUs(epoch: string): number {
  const [sec = "0", frac = ""] = epoch.split(".");
  return Number(sec) * 1e6 + Number(frac.padEnd(6, "0").slice(0, 6));
}

export type TsharkStream = {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ssrc: number;
  payload: string;
  packets: number;
  lost: number;
  meanJitterMs: number;
  maxJitterMs: number;
};

/** The table `tshark -q -z rtp,streams` prints. */
export function readRtpStreams(name: string): TsharkStream[] {
  const text = readFileSync(path.join(diagnosticsFixtures, name), "utf8");
  const out: TsharkStream[] = [];
  for (const line of text.split("\n")) {
    // start end src sport dst dport ssrc payload pkts lost (pct) mindelta meandelta maxdelta minjit meanjit maxjit [X]
    const m =
      /^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(0x[0-9A-Fa-f]+)\s+(\S+)\s+(\d+)\s+(-?\d+) \([^)]*\)\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s+([-\d.]+)/.exec(
        line,
      );
    if (!m) continue;
    out.push({
      src: m[1] ?? "",
      srcPort: Number(m[2]),
      dst: m[3] ?? "",
      dstPort: Number(m[4]),
      ssrc: Number.parseInt(m[5] ?? "", 16),
      payload: m[6] ?? "",
      packets: Number(m[7]),
      lost: Number(m[8]),
      meanJitterMs: Number(m[9]),
      maxJitterMs: Number(m[10]),
    });
  }
  return out;
}
