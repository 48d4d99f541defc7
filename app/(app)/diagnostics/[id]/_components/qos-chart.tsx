import { formatTimeUs } from "@/lib/diagnostics/export";
import type { StreamView } from "@/lib/diagnostics/view";
import { fmt } from "./format";

const W = 640;
const H = 180;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };
/** The spec's Y axis: 0 to 100 whatever the data; larger values are drawn at the top. */
const TOP = 100;
const SERIES = [
  { key: "jitterMs", label: "Jitter (ms)", className: "fill-sky-500" },
  { key: "lossPercent", label: "Fraction lost (%)", className: "fill-rose-500" },
] as const;

/**
 * The receiver's reports about a stream over time as grouped bars (jitter ms, fraction lost %) on
 * a fixed 0–100 axis, an SVG with a title and description, and the same figures as a table.
 */
export function QosChart({ stream: s }: { stream: StreamView }) {
  const points = s.series;
  if (!points.length) {
    return <p className="text-xs text-muted-foreground">No receiver reports about this stream to chart.</p>;
  }
  const clamped = points.flatMap((p) => SERIES.map((x) => p[x.key] ?? 0)).filter((v) => v > TOP).length;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / points.length;
  const barW = Math.min(24, (slot * 0.7) / SERIES.length);
  const y = (v: number) => PAD.top + plotH - (Math.min(TOP, Math.max(0, v)) / TOP) * plotH;
  const titleId = `qos-chart-${s.id}`;
  const ticks = [0, TOP / 2, TOP];
  const clampNote = clamped
    ? ` ${clamped} ${clamped === 1 ? "value is" : "values are"} above 100 and drawn cut off at the top (marked ▲); the chart data has the exact figures.`
    : "";
  return (
    <figure className="grid gap-1" data-testid="qos-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${titleId}-title ${titleId}-desc`}
        className="h-auto w-full max-w-3xl"
      >
        <title id={`${titleId}-title`}>Receiver reports over time for {s.direction}</title>
        <desc id={`${titleId}-desc`}>
          {points.length} reports; jitter in milliseconds and fraction lost in percent, on an axis from 0 to
          100.{clampNote}
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="stroke-border" />
            <text
              x={PAD.left - 4}
              y={y(t) + 3}
              textAnchor="end"
              className="fill-muted-foreground text-[10px]"
              data-testid="qos-chart-tick"
            >
              {t}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          const x0 = PAD.left + i * slot + (slot - barW * SERIES.length) / 2;
          return (
            <g key={p.timeUs}>
              {SERIES.map((series, j) => {
                const v = p[series.key];
                if (v === null) return null;
                const x = x0 + j * barW;
                return (
                  <g key={series.key}>
                    <rect
                      x={x}
                      y={y(v)}
                      width={barW - 2}
                      height={Math.max(1, PAD.top + plotH - y(v))}
                      className={series.className}
                    >
                      <title>
                        {`${series.label}: ${fmt(v, 2)}${v > TOP ? " (above 100, cut off at the top)" : ""}`}
                      </title>
                    </rect>
                    {v > TOP && (
                      <path
                        d={`M${x} ${PAD.top} L${x + (barW - 2) / 2} ${PAD.top - 8} L${x + barW - 2} ${PAD.top} Z`}
                        className={series.className}
                        data-testid="qos-chart-clamped"
                      />
                    )}
                  </g>
                );
              })}
              <text
                x={PAD.left + i * slot + slot / 2}
                y={H - 10}
                textAnchor="middle"
                className="fill-muted-foreground text-[10px]"
              >
                {formatTimeUs(p.timeUs).slice(11, 19)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-3 text-xs text-muted-foreground">
        {SERIES.map((series) => (
          <span key={series.key} className="inline-flex items-center gap-1">
            <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden>
              <rect width="10" height="10" className={series.className} />
            </svg>
            {series.label}
          </span>
        ))}
        <span data-testid="qos-chart-scale">
          Y axis 0–100.
          {clamped ? ` ${clamped} above 100 cut off at the top (▲).` : ""}
        </span>
      </figcaption>
      <details className="text-xs">
        <summary className="cursor-pointer text-muted-foreground">Chart data</summary>
        <table className="mt-1 text-left tabular-nums">
          <thead>
            <tr>
              <th scope="col" className="pr-3">
                Time (UTC)
              </th>
              <th scope="col" className="pr-3">
                Jitter
              </th>
              <th scope="col" className="pr-3">
                Fraction lost
              </th>
              <th scope="col">MOS</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.timeUs}>
                <td className="pr-3">{formatTimeUs(p.timeUs).slice(11)}</td>
                <td className="pr-3">{fmt(p.jitterMs, 2, "ms")}</td>
                <td className="pr-3">{fmt(p.lossPercent, 2, "%")}</td>
                <td>{fmt(p.mos, 2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
