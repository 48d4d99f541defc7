"use client";

import { useEffect, useRef, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { Button } from "@/components/ui/button";
import { revokeApiKeyAction } from "../actions";

/** Revoke, confirmed in place: the first press asks, focus goes to Cancel, the second press revokes. */
export function RevokeApiKey({ id, name }: { id: string; name: string }) {
  const { state, pending, formProps } = useActionForm(revokeApiKeyAction);
  const [confirming, setConfirming] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const revoke = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);

  useEffect(() => {
    if (confirming) cancel.current?.focus();
    else if (asked.current) revoke.current?.focus(); // back where the keyboard user was
    asked.current = confirming;
  }, [confirming]);

  if (!confirming) {
    return (
      <Button
        ref={revoke}
        type="button"
        size="sm"
        variant="outline"
        aria-label={`Revoke ${name}`}
        onClick={() => setConfirming(true)}
      >
        Revoke
      </Button>
    );
  }
  return (
    <form {...formProps} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <span className="text-sm">Revoke “{name}”? Anything using it stops working at once.</span>
      <Button type="submit" size="sm" variant="destructive" disabled={pending} aria-busy={pending}>
        Revoke key
      </Button>
      <Button ref={cancel} type="button" size="sm" variant="ghost" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      <FormMessage state={state} />
    </form>
  );
}
