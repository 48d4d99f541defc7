"use client";

import { FormMessage, useActionForm } from "@/components/action-form";
import { ConfirmActions, useConfirmStep } from "@/components/confirm-step";
import { Button } from "@/components/ui/button";
import { revokeApiKeyAction } from "../actions";

/** Revoke, confirmed in place: the first press asks, focus goes to Cancel, the second press revokes. */
export function RevokeApiKey({ id, name }: { id: string; name: string }) {
  const { state, pending, formProps } = useActionForm(revokeApiKeyAction);
  const step = useConfirmStep();

  if (!step.confirming) {
    return (
      <Button
        ref={step.askRef}
        type="button"
        size="sm"
        variant="outline"
        aria-label={`Revoke ${name}`}
        onClick={step.ask}
      >
        Revoke
      </Button>
    );
  }
  return (
    <form {...formProps} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <ConfirmActions
        question={`Revoke “${name}”? Anything using it stops working at once.`}
        confirm="Revoke key"
        pending={pending}
        step={step}
      />
      <FormMessage state={state} />
    </form>
  );
}
