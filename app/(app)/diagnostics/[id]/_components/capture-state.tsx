import { CircleAlert, FileSearch, Loader } from "lucide-react";
import type { DiagnosticsView } from "@/lib/diagnostics/view";
import { fmt } from "./format";

/** Which capture the tabs read, its call timings and warnings, or why there is nothing to show. */
export function CaptureState({ view }: { view: DiagnosticsView }) {
  const c = view.capture;
  if (!c) {
    return (
      <Note icon={<FileSearch className="size-4" aria-hidden />} testId="capture-none">
        No capture has been received for this call, so there is no signalling or media to show.
      </Note>
    );
  }
  if (c.state === "pending") {
    return (
      <Note icon={<Loader className="size-4" aria-hidden />} testId="capture-pending">
        The call's capture is being analysed. Reload in a moment.
      </Note>
    );
  }
  if (c.state === "failed") {
    return (
      <Note icon={<CircleAlert className="size-4 text-destructive" aria-hidden />} testId="capture-failed">
        The call's capture could not be read: {c.error ?? "unknown error"}.
      </Note>
    );
  }
  return (
    <div className="mb-2 grid gap-2">
      {/* One line per call in the capture (a load test or a consultation holds several). */}
      {(c.calls.length ? c.calls : [null]).map((call) => (
        <dl
          key={call?.callId ?? "none"}
          className="flex flex-wrap gap-x-6 gap-y-1 text-sm"
          data-testid="call-timings"
          data-call-id={call?.callId}
        >
          {c.calls.length > 1 && call && (
            <div className="flex min-w-0 gap-1.5">
              <dt className="text-muted-foreground">Call-ID</dt>
              <dd className="break-all font-mono text-xs leading-5">{call.callId}</dd>
            </div>
          )}
          <div className="flex gap-1.5">
            <dt className="text-muted-foreground">Call setup time</dt>
            <dd className="tabular-nums" data-testid="call-setup">
              {fmt(call?.callSetupMs, 3, "ms")}
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-muted-foreground">Post-dial delay</dt>
            <dd className="tabular-nums" data-testid="post-dial-delay">
              {fmt(call?.postDialDelayMs, 3, "ms")}
            </dd>
          </div>
        </dl>
      ))}
      <p className="text-sm">
        <span className="text-muted-foreground">Capture</span> {c.source === "hep" ? "live (HEP), " : ""}
        {c.format}, {fmt(c.sizeBytes / 1024, 0, "KB")}
        {view.captureCount > 1 && ` (the latest of ${view.captureCount})`}
      </p>
      {c.warnings.length > 0 && (
        <details className="text-sm text-muted-foreground">
          <summary className="cursor-pointer">
            {c.warnings.length} parser {c.warnings.length === 1 ? "warning" : "warnings"}
          </summary>
          <ul className="mt-1 list-disc pl-5">
            {c.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function Note({
  icon,
  children,
  testId,
}: {
  icon: React.ReactNode;
  children: React.ReactNode;
  testId: string;
}) {
  return (
    <p
      className="mb-2 flex items-center gap-2 rounded-md border border-dashed px-3 py-2 text-sm text-muted-foreground"
      role="status"
      data-testid={testId}
    >
      {icon}
      {children}
    </p>
  );
}
