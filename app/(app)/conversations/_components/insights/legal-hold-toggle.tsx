"use client";

import { ShieldCheck, ShieldOff } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { LegalHoldView } from "@/lib/recordings/status";
import { setRecordingLegalHoldAction } from "./recording-actions";

export const HOLD_PLACED = "Legal hold placed. Retention will not delete this recording.";
export const HOLD_RELEASED = "Legal hold released. Retention applies to this recording again.";
export const RELEASE_QUESTION = "Release the legal hold? Retention may then delete the recording.";

/**
 * The legal hold switch for supervisors and admins (a mark for others while the hold is on). The
 * label follows the answer of the click at once, not the next render of the page, so nobody
 * clicks again and undoes it; releasing asks first; both outcomes are announced.
 */
export function LegalHoldToggle({ conversationId, hold }: { conversationId: string; hold: LegalHoldView }) {
  const [held, setHeld] = useState(hold.legalHold);
  const [confirming, setConfirming] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<string | null>(null);
  // Busy while the action runs, not for the page refresh that follows it: a transition's pending
  // state could outlive the action by minutes (it waits on the refreshed page), leaving the switch
  // disabled after its answer was already shown.
  const [pending, setPending] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  // A change made elsewhere (another tab, the live feed) arrives with the page's next render.
  useEffect(() => setHeld(hold.legalHold), [hold.legalHold]);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  if (!hold.canHold) {
    return held ? (
      <span className="inline-flex items-center gap-1 text-xs text-muted-foreground">
        <ShieldCheck className="size-3.5" aria-hidden /> On legal hold
      </span>
    ) : null;
  }

  const apply = async (next: boolean) => {
    setError(null);
    setConfirming(false);
    setPending(true);
    try {
      const result = await setRecordingLegalHoldAction({ conversationId, hold: next });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setHeld(result.data.hold);
      setAnnouncement(result.data.hold ? HOLD_PLACED : HOLD_RELEASED);
    } catch {
      setError("The legal hold could not be changed. Check your connection and try again.");
    } finally {
      setPending(false);
      requestAnimationFrame(() => toggleRef.current?.focus());
    }
  };

  return (
    <span className="inline-flex flex-wrap items-center gap-2" data-testid="legal-hold-control">
      {confirming ? (
        <>
          <span className="text-sm">{RELEASE_QUESTION}</span>
          <Button size="sm" variant="destructive" onClick={() => apply(false)} disabled={pending}>
            Release
          </Button>
          <Button
            ref={cancelRef}
            size="sm"
            variant="ghost"
            onClick={() => {
              setConfirming(false);
              requestAnimationFrame(() => toggleRef.current?.focus());
            }}
          >
            Cancel
          </Button>
        </>
      ) : (
        <Button
          ref={toggleRef}
          size="sm"
          variant="ghost"
          onClick={() => (held ? setConfirming(true) : apply(true))}
          disabled={pending}
          aria-busy={pending}
          aria-pressed={held}
          data-testid="legal-hold"
        >
          {held ? <ShieldOff aria-hidden /> : <ShieldCheck aria-hidden />}
          {held ? "Release legal hold" : "Place legal hold"}
        </Button>
      )}
      <span role="status" aria-live="polite" className="sr-only" data-testid="legal-hold-announcement">
        {announcement}
      </span>
      {error && (
        <span role="alert" className="text-sm text-destructive">
          {error}
        </span>
      )}
    </span>
  );
}
