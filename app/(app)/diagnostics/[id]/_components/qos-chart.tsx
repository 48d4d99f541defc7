import { formatTimeUs } from "@/lib/diagnostics/export";
import type { QosPoint, StreamView } from "@/lib/diagnostics/view";
import { fmt } from "./format";
import { MOS_BANDS, MOS_BANDS_SOURCE } from "./mos-bands";

const W = 640;
const H = 120;
const PAD = { left: 44, right: 12, top: 10, bottom: 22 };
const MAX_TIME_LABELS = 6;

type Panel = {
  key: "jitterMs" | "lossPercent" | "mos";
  title: string;
  unit: string;
  /** Axis range: from the data for jitter and loss (never one shared 0–100), the MOS scale 1–5. */
  range: (values: number[]) => [number, number];
  className: string;
};

/** The smallest 1/2/5 × 10ⁿ at or above `v` (at least `floor`): a round top for the axis. */
export function niceCeil(v: number, floor = 1): number {
  const target = Math.max(v, floor);
  const p = 10 ** Math.floor(Math.log10(target));
  return ([1, 2, 5, 10].map((m) => m * p).find((c) => c >= target) ?? 10 * p) as number;
}

const PANELS: Panel[] = [
  {
    key: "jitterMs",
    title: "Jitter",
    unit: "ms",
    range: (v) => [0, niceCeil(Math.max(0, ...v), 1)],
    className: "fill-sky-600 dark:fill-sky-400",
  },
  {
    key: "lossPercent",
    title: "Fraction lost",
    unit: "%",
    range: (v) => [0, Math.min(100, niceCeil(Math.max(0, ...v), 1))],
    className: "fill-rose-600 dark:fill-rose-400",
  },
  {
    key: "mos",
    title: "MOS",
    unit: "1–5",
    range: () => [1, 5],
    className: "fill-violet-600 dark:fill-violet-400",
  },
];

const BAND_FILL = {
  good: "fill-emerald-500/10",
  fair: "fill-amber-500/10",
  poor: "fill-red-500/10",
} as const;

/**
 * The receiver's reports about a stream over time as small multiples, one panel per unit (jitter
 * in ms, fraction lost in %, MOS on its 1–5 scale with the quality bands behind it), on a shared
 * time axis; each panel an image with a description, and the same figures as a table.
 */
export function QosChart({ stream: s }: { stream: StreamView }) {
  const points = s.series;
  if (!points.length) {
    return <p className="text-xs text-muted-foreground">No receiver reports about this stream to chart.</p>;
  }
  return (
    <figure className="grid min-w-0 gap-2" data-testid="qos-chart">
      <figcaption className="text-sm font-semibold">
        Receiver reports over time <span className="font-normal text-muted-foreground">(time in UTC)</span>
      </figcaption>
      <div className="grid gap-2 lg:grid-cols-3">
        {PANELS.map((panel) => (
          <ChartPanel key={panel.key} panel={panel} points={points} streamId={s.id} direction={s.direction} />
        ))}
      </div>
      <p className="text-xs text-muted-foreground" data-testid="qos-chart-bands">
        MOS bands (shaded): {MOS_BANDS.map((b) => `${b.label} ≥ ${b.min.toFixed(2)}`).join(", ")}.{" "}
        {MOS_BANDS_SOURCE}.
      </p>
      <details className="text-xs">
        <summary className="cursor-pointer text-muted-foreground">Chart data</summary>
        <div className="overflow-x-auto">
          <table className="mt-1 text-left tabular-nums" data-testid="qos-chart-data">
            <thead>
              <tr>
                <th scope="col" className="pr-3">
                  Time (UTC)
                </th>
                <th scope="col" className="pr-3">
                  Jitter (ms)
                </th>
                <th scope="col" className="pr-3">
                  Fraction lost (%)
                </th>
                <th scope="col">MOS</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: two reports may share a capture time
                <tr key={i}>
                  <td className="pr-3">{formatTimeUs(p.timeUs).slice(11)}</td>
                  <td className="pr-3">{fmt(p.jitterMs, 2)}</td>
                  <td className="pr-3">{fmt(p.lossPercent, 2)}</td>
                  <td>{fmt(p.mos, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function ChartPanel({
  panel,
  points,
  streamId,
  direction,
}: {
  panel: Panel;
  points: QosPoint[];
  streamId: string;
  direction: string;
}) {
  const values = points.map((p) => p[panel.key]).filter((v): v is number => v !== null);
  const [lo, hi] = panel.range(values);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / points.length;
  const barW = Math.max(1, Math.min(24, slot * 0.7));
  const y = (v: number) => PAD.top + plotH - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * plotH;
  const ticks = panel.key === "mos" ? [1, 2, 3, 4, 5] : [lo, hi / 2, hi];
  const id = `qos-chart-${streamId}-${panel.key}`;
  const every = Math.max(1, Math.ceil(points.length / MAX_TIME_LABELS));
  const label = `${panel.title} (${panel.unit})`;
  const summary = values.length
    ? `${values.length} reports, from ${fmt(Math.min(...values), 2)} to ${fmt(Math.max(...values), 2)}; axis ${fmt(lo)} to ${fmt(hi)}.`
    : "Not measured in these reports.";
  return (
    <div className="min-w-0" data-testid="qos-chart-panel" data-unit={panel.unit}>
      <p className="text-xs font-medium" aria-hidden>
        {label}
      </p>
      {/* One string per <title>/<desc>: React's server renders a <title> of several children empty
          (the hydration error #418 this chart had). */}
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="h-auto w-full"
      >
        <title id={`${id}-title`}>{label}</title>
        <desc id={`${id}-desc`}>{`${label} for ${direction}: ${summary}`}</desc>
        {panel.key === "mos" &&
          MOS_BANDS.map((b, i) => {
            const top = i === 0 ? 5 : (MOS_BANDS[i - 1]?.min ?? 5);
            return (
              <rect
                key={b.label}
                x={PAD.left}
                width={plotW}
                y={y(top)}
                height={Math.max(0, y(b.min) - y(top))}
                className={BAND_FILL[b.tone]}
              >
                <title>{`${b.label}: MOS ${b.min.toFixed(2)} and above`}</title>
              </rect>
            );
          })}
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-border" />
            <text
              x={PAD.left - 4}
              y={y(t) + 4}
              textAnchor="end"
              className="fill-muted-foreground text-[11px]"
              data-testid="qos-chart-tick"
            >
              {fmt(t, Number.isInteger(t) ? 0 : 1)}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          const v = p[panel.key];
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: two reports may share a capture time
            <g key={i}>
              {v !== null && (
                <rect
                  x={x}
                  y={y(v)}
                  width={barW}
                  height={Math.max(1, y(lo) - y(v))}
                  className={panel.className}
                >
                  <title>
                    {`${formatTimeUs(p.timeUs).slice(11, 23)} UTC: ${fmt(v, 2)} ${panel.unit === "1–5" ? "" : panel.unit}`.trim()}
                  </title>
                </rect>
              )}
              {i % every === 0 && (
                <text
                  x={PAD.left + i * slot + slot / 2}
                  y={H - 6}
                  textAnchor="middle"
                  className="fill-muted-foreground text-[11px]"
                >
                  {formatTimeUs(p.timeUs).slice(11, 19)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
