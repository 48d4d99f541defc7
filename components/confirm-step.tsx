"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A destructive action confirmed in place: the first press asks, focus goes to Cancel, and Cancel
 * puts focus back on the first button, where the keyboard user was.
 */
export function useConfirmStep() {
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (asked.current) askRef.current?.focus();
    asked.current = confirming;
  }, [confirming]);

  return {
    confirming,
    ask: () => setConfirming(true),
    cancel: () => setConfirming(false),
    askRef,
    cancelRef,
  };
}

/** The asked state: the question, the destructive submit button, and Cancel (focused). */
export function ConfirmActions({
  question,
  confirm,
  pending,
  step,
}: {
  question: ReactNode;
  confirm: string;
  pending: boolean;
  step: ReturnType<typeof useConfirmStep>;
}) {
  return (
    <>
      <span className="text-sm">{question}</span>
      <Button type="submit" size="sm" variant="destructive" disabled={pending} aria-busy={pending}>
        {confirm}
      </Button>
      <Button ref={step.cancelRef} type="button" size="sm" variant="ghost" onClick={step.cancel}>
        Cancel
      </Button>
    </>
  );
}
