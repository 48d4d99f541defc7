// Number formats of the Diagnostics tabs: "—" stands for "not measured" (null), never 0.

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
