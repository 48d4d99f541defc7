import { Badge } from "@/components/ui/badge";
import { type DiagnosticsView, SOURCE_LABELS } from "@/lib/diagnostics/view";
import { Field } from "./field";
import { fmtUtcTime } from "./format";
import { MOS_BANDS_SOURCE } from "./mos-bands";
import { StatTable } from "./stat-table";

const ROLE_LABELS = { agent: "Agent", supervisor: "Supervisor", consultant: "Consulting agent" } as const;

/**
 * One section per join (an agent leaving and rejoining has two), with call quality restricted to
 * the RTCP reports received while that join lasted.
 */
export function AgentsTab({ view }: { view: DiagnosticsView }) {
  if (!view.agents.length) {
    return <p className="py-8 text-center text-sm text-muted-foreground">No agent joined this call.</p>;
  }
  return (
    <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-3">
      <p className="text-sm text-muted-foreground">
        Call quality per session is computed from the RTCP reports received between its start and end (
        {SOURCE_LABELS.rtcp}). MOS: {view.mosModel}. {MOS_BANDS_SOURCE}. Times are UTC, the capture's clock.
      </p>
      {view.agents.map((a) => (
        <section
          key={a.id}
          className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-3 rounded-lg border border-border p-3"
          aria-label={`${a.name}, ${ROLE_LABELS[a.role]}`}
          data-testid="agent-session"
        >
          <dl className="grid grid-cols-[repeat(2,minmax(0,1fr))] gap-x-4 gap-y-2 break-words text-sm sm:grid-cols-[repeat(3,minmax(0,1fr))]">
            <Field label="Agent Name">
              {a.name} <span className="text-xs text-muted-foreground">({ROLE_LABELS[a.role]})</span>
            </Field>
            <Field label="Status">
              <Badge variant={a.left ? "muted" : "success"}>{a.left ? "Left" : "In the call"}</Badge>
            </Field>
            <Field label="Start Time">{utc(a.startedAt)}</Field>
            <Field label="End Time">{a.endedAt ? utc(a.endedAt) : "—"}</Field>
            <Field label="Call Exit Reason">{a.exitReason ?? "—"}</Field>
            <Field label="Call Exit Description">{a.exitDescription ?? "—"}</Field>
          </dl>
          {a.reports === 0 ? (
            <p className="text-sm text-muted-foreground" data-testid="agent-no-rtcp">
              No RTCP received during this session
            </p>
          ) : (
            <div className="relative overflow-x-auto rounded-md border border-border">
              <StatTable
                caption={`Call quality while ${a.name} was in the call`}
                rows={[
                  { label: "MOS", stat: a.mos, digits: 2, mos: true },
                  { label: "Jitter", stat: a.jitterMs, digits: 2, unit: "ms" },
                  { label: "Packets lost", stat: a.packetsLost },
                ]}
              />
            </div>
          )}
        </section>
      ))}
    </div>
  );
}

/** Capture times and session times on one clock (UTC, ms), so a window can be compared with the Flow. */
function utc(d: Date) {
  return (
    <time dateTime={d.toISOString()} className="tabular-nums" data-testid="agent-time">
      {`${d.toISOString().slice(0, 10)} ${fmtUtcTime(d.getTime() * 1000, "ms")}`}
    </time>
  );
}
