// Number and time formats of the Diagnostics tabs: "—" stands for "not measured" (null), never 0.
import { formatTimeUs } from "@/lib/diagnostics/export";

const NOT_MEASURED = "—";

export function fmt(value: number | null | undefined, digits = 0, unit = ""): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_MEASURED;
  const text = value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return unit ? `${text} ${unit}` : text;
}

/** µs since the INVITE as signed seconds with µs: "+0.502873 s". */
export function fmtDeltaUs(deltaUs: number | null): string {
  if (deltaUs === null) return NOT_MEASURED;
  return `${deltaUs < 0 ? "−" : "+"}${(Math.abs(deltaUs) / 1e6).toFixed(6)} s`;
}

/**
 * A time of day on the capture's clock, with its zone: "14:29:02.123 UTC" (ms) or
 * "14:29:02.123456 UTC" (µs). Captures, RTCP reports and agent sessions all share UTC, so a
 * session window can be read against the Flow; the same text on the server and in the browser.
 */
export function fmtUtcTime(timeUs: number | null, precision: "ms" | "us" = "us"): string {
  if (timeUs === null) return NOT_MEASURED;
  return `${formatTimeUs(timeUs).slice(11, precision === "ms" ? 23 : undefined)} UTC`;
}
