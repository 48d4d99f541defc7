import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { formatTimeUs } from "@/lib/diagnostics/export";
import type { DiagnosticsView, FlowRow } from "@/lib/diagnostics/view";
import { fmtDeltaUs } from "./format";

/**
 * The ladder: one column per endpoint (IP:port), one row per SIP message or RTCP packet in capture
 * order. The arrow is drawn for the eye; the Direction cell says the same in text for everyone.
 */
export function FlowTab({ view }: { view: DiagnosticsView }) {
  // Without a parsed capture, the note above the tabs says why; the tab adds nothing to it.
  if (view.capture?.state !== "parsed") return null;
  if (!view.flow.length) {
    return (
      <p className="py-8 text-center text-sm text-muted-foreground">
        No SIP or RTCP messages in the capture.
      </p>
    );
  }
  const n = view.endpoints.length;
  return (
    // minmax(0, 1fr): the ladder's minimum width stays inside its scroll area on a phone.
    <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-2">
      {view.capture?.state === "parsed" && (
        <p className="text-sm text-muted-foreground">
          Each message's header and raw text:{" "}
          <a
            href={`/api/conversations/${view.conversationId}/diagnostics/text`}
            download
            className="underline underline-offset-2 hover:text-foreground"
          >
            export this flow as text
          </a>
          .
        </p>
      )}
      {/* relative: the sr-only labels (position: absolute) are clipped here, not by the page. */}
      <div className="relative overflow-x-auto rounded-lg border border-border">
        <table className="w-full min-w-[56rem] border-collapse text-sm" data-testid="flow-ladder">
          <caption className="sr-only">
            Call flow: SIP messages and RTCP packets in capture order, with times in UTC and the delta from
            the INVITE.
          </caption>
          <thead className="bg-muted/50 text-xs text-muted-foreground">
            <tr>
              <th scope="col" className="px-2 py-2 text-left font-medium">
                Frame
              </th>
              <th scope="col" className="px-2 py-2 text-left font-medium">
                Time (UTC)
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium">
                Δ from INVITE
              </th>
              <th scope="col" className="w-1/2 px-2 py-2 font-medium">
                <span className="sr-only">Endpoints: {view.endpoints.join(", ")}</span>
                <div
                  className="grid"
                  style={{ gridTemplateColumns: `repeat(${n}, minmax(0, 1fr))` }}
                  aria-hidden
                >
                  {view.endpoints.map((e) => (
                    <span
                      key={e}
                      className="truncate text-center font-mono text-foreground"
                      data-testid="flow-endpoint"
                    >
                      {e}
                    </span>
                  ))}
                </div>
              </th>
              <th scope="col" className="px-2 py-2 text-left font-medium">
                Direction
              </th>
            </tr>
          </thead>
          <tbody>
            {view.flow.map((row) => (
              <FlowLine key={row.key} row={row} columns={n} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function FlowLine({ row, columns }: { row: FlowRow; columns: number }) {
  const rtcp = row.kind === "rtcp";
  return (
    <tr className="border-t border-border align-top" data-testid="flow-row" data-kind={row.kind}>
      <td className="px-2 py-1.5 tabular-nums text-muted-foreground">{row.frame ?? "—"}</td>
      <td className="whitespace-nowrap px-2 py-1.5 font-mono text-xs tabular-nums" data-testid="flow-time">
        {formatTimeUs(row.timeUs).slice(11)}
      </td>
      <td
        className="whitespace-nowrap px-2 py-1.5 text-right font-mono text-xs tabular-nums"
        data-testid="flow-delta"
      >
        {fmtDeltaUs(row.deltaUs)}
      </td>
      <td className="px-2 py-1.5">
        <Arrow row={row} columns={columns} />
      </td>
      <td className="px-2 py-1.5">
        <div className="flex flex-wrap items-center gap-1.5">
          <span
            className={cn("font-medium", rtcp && "text-sky-700 dark:text-sky-300")}
            data-testid="flow-label"
          >
            {row.label}
          </span>
          {row.isRetransmission && <Badge variant="warning">Retransmission</Badge>}
        </div>
        <div className="font-mono text-xs text-muted-foreground" data-testid="flow-direction">
          {row.src} → {row.dst} <span className="sr-only">({row.protocol})</span>
        </div>
        {row.raw && (
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-muted-foreground">Message</summary>
            <pre className="mt-1 max-h-72 overflow-auto whitespace-pre-wrap break-all rounded bg-muted p-2 text-xs">
              {row.raw}
            </pre>
          </details>
        )}
      </td>
    </tr>
  );
}

/** The arrow between the sender's and the receiver's columns, with the message above it. */
function Arrow({ row, columns }: { row: FlowRow; columns: number }) {
  const lo = Math.min(row.from, row.to);
  const hi = Math.max(row.from, row.to);
  const width = columns || 1;
  const left = ((lo + 0.5) / width) * 100;
  const span = (Math.max(hi - lo, 0.3) / width) * 100;
  const rightward = row.to >= row.from;
  const line =
    row.kind === "rtcp" ? "border-sky-500" : row.isRetransmission ? "border-amber-500" : "border-foreground";
  return (
    <div className="relative h-9" aria-hidden>
      {Array.from({ length: width }, (_, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: the lifelines are the columns themselves
          key={i}
          className="absolute inset-y-0 border-l border-dashed border-border"
          style={{ left: `${((i + 0.5) / width) * 100}%` }}
        />
      ))}
      <span
        className="absolute top-0 truncate text-center text-xs"
        style={{ left: `${left}%`, width: `${span}%` }}
      >
        {row.label}
      </span>
      <span
        className={cn("absolute top-6 border-t-2", line, row.isRetransmission && "border-dashed")}
        style={{ left: `${left}%`, width: `${span}%` }}
      />
      <span
        className={cn("absolute top-[1.1rem] text-xs leading-none", rightward ? "-translate-x-full" : "")}
        style={{ left: `${rightward ? left + span : left}%` }}
      >
        {rightward ? "▶" : "◀"}
      </span>
    </div>
  );
}
