"use client";

import { AlertCircle, Loader2, RotateCw } from "lucide-react";
import { useState, useTransition } from "react";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { LocalTime } from "@/components/local-time";
import { Button } from "@/components/ui/button";
import { RECORDING_STATE_MESSAGES } from "@/lib/recordings/states";
import type { LegalHoldView, RecordingStatus as Status } from "@/lib/recordings/status";
import { LegalHoldToggle } from "./legal-hold-toggle";
import { retryRecordingFetchAction } from "./recording-actions";

const RECORDING_RETRY_COOLDOWN = RECORDING_STATE_MESSAGES.retry_failed;
const BUSY_STATES = new Set(["pending", "fetching_in_progress", "media_in_progress", "call_in_progress"]);

/**
 * The recording's fetch state on the transcript tab: the spec's message for the state, the Retry
 * button where the spec offers it (disabled with the time when a failed retry asks to wait), and
 * the legal hold switch for supervisors and admins. The page re-renders on the live feed when the
 * worker changes the state.
 */
export function RecordingStatus({ conversationId, status }: { conversationId: string; status: Status }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (status.kind === "none") return null;
  const run = (action: () => Promise<{ ok: boolean; error?: string }>) =>
    startTransition(async () => {
      setError(null);
      const result = await action();
      if (!result.ok) setError(result.error ?? null);
    });
  const errorAlert = error && (
    <p role="alert" className="text-sm text-destructive">
      {error}
    </p>
  );
  const holdControl = (hold: LegalHoldView) => (
    <LegalHoldToggle conversationId={conversationId} hold={hold} />
  );
  if (status.kind === "disabled") {
    // Call recording was off; the screen recordings it still has can be held.
    return (
      <div className="grid gap-2">
        <p
          role="note"
          data-testid="recording-disabled"
          className="rounded-md border border-border px-3 py-2 text-sm text-muted-foreground"
        >
          {status.message}
        </p>
        {status.hold && <div className="flex items-center gap-2">{holdControl(status.hold)}</div>}
        {errorAlert}
      </div>
    );
  }
  const retry = () => run(() => retryRecordingFetchAction({ conversationId }));
  const busy = BUSY_STATES.has(status.state);

  return (
    <div className="grid gap-2" data-testid="recording-status" data-state={status.state}>
      {status.message && (
        <div
          role="status"
          className="flex items-start gap-2 rounded-md border border-border px-3 py-2 text-sm"
        >
          {busy ? (
            <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin text-muted-foreground" aria-hidden />
          ) : (
            <AlertCircle className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
          )}
          <p data-testid="recording-message">{status.message}</p>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-2">
        {status.retry.offered &&
          (status.retry.availableAt ? (
            <DisabledWithReason reason={RECORDING_RETRY_COOLDOWN}>
              <Button size="sm" variant="outline" disabled>
                <RotateCw aria-hidden /> Retry
              </Button>
            </DisabledWithReason>
          ) : (
            <Button size="sm" variant="outline" onClick={retry} disabled={pending}>
              <RotateCw className={pending ? "animate-spin" : undefined} aria-hidden /> Retry
            </Button>
          ))}
        {status.retry.availableAt && (
          <span className="text-xs text-muted-foreground">
            Retry again after <LocalTime value={new Date(status.retry.availableAt)} />
          </span>
        )}
        {status.state !== "deleted" && holdControl(status)}
      </div>
      {errorAlert}
    </div>
  );
}
