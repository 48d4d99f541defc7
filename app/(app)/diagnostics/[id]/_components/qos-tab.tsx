import { ChevronRight } from "lucide-react";
import type { DiagnosticsView, StreamView } from "@/lib/diagnostics/view";
import { Field } from "./field";
import { fmt, fmtUtcTime } from "./format";
import { MOS_BANDS_SOURCE } from "./mos-bands";
import { QosChart } from "./qos-chart";
import { type StatRow, StatTable } from "./stat-table";

type Reported = Extract<StreamView["rtcp"], { state: "reported" }>;

/** The spec's figures, names and order, then the two it doesn't list (fraction lost, round-trip time). */
const reportedRows = (r: Reported): StatRow[] => [
  { label: "Packets", stat: r.packets },
  { label: "Octets", stat: r.octets },
  { label: "Highest_Seq_No", stat: r.highestSeq },
  { label: "IA (Inter Arrival) Jitter", stat: r.jitterMs, digits: 2, unit: "ms" },
  { label: "LSR (Last Sender Report)", stat: r.lsr },
  { label: "MOS (Mean Opinion Score)", stat: r.mos, digits: 2, mos: true },
  { label: "Packets_Lost", stat: r.cumulativeLost },
  {
    label: "Fraction lost (since the previous report)",
    stat: r.fractionLost && {
      ...r.fractionLost,
      min: r.fractionLost.min * 100,
      avg: r.fractionLost.avg * 100,
      max: r.fractionLost.max * 100,
    },
    digits: 2,
    unit: "%",
  },
  { label: "Round-trip time (from LSR and DLSR)", stat: r.rttMs, digits: 2, unit: "ms" },
];

/**
 * Per stream and direction, the two sources kept apart and labelled: what the endpoints reported
 * in RTCP (one table, min/avg/max over the same reports) and what the capture measured itself.
 */
export function QosTab({ view }: { view: DiagnosticsView }) {
  // Without a parsed capture, the note above the tabs says why; the tab adds nothing to it.
  if (view.capture?.state !== "parsed") return null;
  if (!view.streams.length) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No RTP streams in the capture.</p>;
  }
  return (
    <div className="grid gap-3">
      <p className="text-sm text-muted-foreground" data-testid="mos-model">
        MOS: {view.mosModel}. {MOS_BANDS_SOURCE}. Jitter is in milliseconds (RTCP's timestamp units converted
        with the codec clock); times are UTC, the capture's clock.
      </p>
      {view.streams.map((s, i) => (
        <StreamSection key={s.id} stream={s} open={i === 0} />
      ))}
    </div>
  );
}

function StreamSection({ stream: s, open }: { stream: StreamView; open: boolean }) {
  return (
    <details className="group min-w-0 rounded-lg border border-border" open={open} data-testid="qos-stream">
      <summary
        data-testid="qos-stream-summary"
        className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 [&::-webkit-details-marker]:hidden"
      >
        <ChevronRight className="size-4 shrink-0 transition-transform group-open:rotate-90" aria-hidden />
        <span className="min-w-0 break-all font-mono text-sm font-medium" data-testid="qos-direction">
          {s.direction}
        </span>
        <span className="text-xs text-muted-foreground">
          {s.codec ?? `PT ${s.payloadType ?? "?"}`} · SSRC {s.ssrc}
        </span>
      </summary>
      <div className="grid min-w-0 gap-4 border-t border-border px-3 py-3">
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
          <Field label="Codec">
            {s.codec ?? "unknown"}
            {s.clockRate ? ` (${s.clockRate} Hz)` : ""}
          </Field>
          <Field label="Payload type">{s.payloadType ?? "—"}</Field>
          <Field label="First packet">
            <span data-testid="qos-first-packet">{fmtUtcTime(s.firstUs)}</span>
          </Field>
          <Field label="Last packet">{fmtUtcTime(s.lastUs)}</Field>
          <Field label="SIP Call-ID">
            <span className="break-all">{s.callId ?? "not matched"}</span>
          </Field>
        </dl>
        <section aria-label={s.rtcp.label} data-testid="qos-rtcp" className="min-w-0">
          <h3 className="mb-1 text-sm font-semibold">{s.rtcp.label}</h3>
          {s.rtcp.state === "no-rtcp" ? (
            <p className="text-sm text-muted-foreground" data-testid="no-rtcp">
              No RTCP received
            </p>
          ) : (
            <>
              <div className="rounded-md border border-border">
                <StatTable caption={`${s.rtcp.label} for ${s.direction}`} rows={reportedRows(s.rtcp)} />
              </div>
              <p className="mt-1 text-xs text-muted-foreground" data-testid="qos-lsr-note">
                LSR is the field as RTCP carries it: the middle 32 bits of the NTP time of the last sender
                report received (1/65536 s units); 0 means none had been received. Packets_Lost is the
                cumulative count each report gave.
              </p>
              {s.rtcp.clockSkew && (
                <p className="mt-1 text-xs text-amber-700 dark:text-amber-300" data-testid="rtt-clock-skew">
                  Clock skew: some round-trip times came out negative (shown as measured). The capture's clock
                  and an endpoint's disagree, so these figures are not network delays.
                </p>
              )}
            </>
          )}
        </section>
        <section aria-label={s.capture.label} data-testid="qos-capture">
          <h3 className="mb-1 text-sm font-semibold">{s.capture.label}</h3>
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
            <Field label="Packets">{fmt(s.capture.packets)}</Field>
            <Field label="Octets">{fmt(s.capture.octets)}</Field>
            <Field label="Highest sequence number">{fmt(s.capture.highestSeq)}</Field>
            <Field label="Expected">{fmt(s.capture.expected)}</Field>
            <Field label="Packets lost">{fmt(s.capture.lost)}</Field>
            <Field label="Loss">{fmt(s.capture.lossPercent, 2, "%")}</Field>
            <Field label="Mean jitter">{fmt(s.capture.meanJitterMs, 2, "ms")}</Field>
            <Field label="Max jitter">{fmt(s.capture.maxJitterMs, 2, "ms")}</Field>
            <Field label="MOS (no delay term)">{fmt(s.capture.mos, 2)}</Field>
          </dl>
        </section>
        {s.rtcp.state === "reported" && <QosChart stream={s} />}
      </div>
    </details>
  );
}
