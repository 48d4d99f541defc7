"use client";

import { FormMessage, useActionForm } from "@/components/action-form";
import { ConfirmActions, useConfirmStep } from "@/components/confirm-step";
import { Button } from "@/components/ui/button";
import { deleteWebhookAction, sendTestWebhookAction, setWebhookActiveAction } from "../actions";

/** Send test, Turn off / Turn on, and Delete (confirmed in place) for one endpoint. */
export function WebhookControls({ id, url, active }: { id: string; url: string; active: boolean }) {
  const test = useActionForm(sendTestWebhookAction);
  const toggle = useActionForm(setWebhookActiveAction);
  const remove = useActionForm(deleteWebhookAction);
  const step = useConfirmStep();

  if (step.confirming) {
    return (
      <form {...remove.formProps} className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="id" value={id} />
        <ConfirmActions
          question={`Delete the webhook to ${url}? Its delivery log goes with it.`}
          confirm="Delete webhook"
          pending={remove.pending}
          step={step}
        />
        <FormMessage state={remove.state} />
      </form>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form {...test.formProps}>
        <input type="hidden" name="id" value={id} />
        <Button
          type="submit"
          size="sm"
          variant="outline"
          disabled={!active || test.pending}
          aria-busy={test.pending}
          aria-label={`Send a test event to ${url}`}
        >
          {test.pending ? "Sending…" : "Send test"}
        </Button>
      </form>
      <form {...toggle.formProps}>
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="active" value={String(!active)} />
        <Button
          type="submit"
          size="sm"
          variant="outline"
          disabled={toggle.pending}
          aria-label={`${active ? "Turn off" : "Turn on"} the webhook to ${url}`}
        >
          {active ? "Turn off" : "Turn on"}
        </Button>
      </form>
      <Button
        ref={step.askRef}
        type="button"
        size="sm"
        variant="outline"
        aria-label={`Delete the webhook to ${url}`}
        onClick={step.ask}
      >
        Delete
      </Button>
      <FormMessage state={test.state} success="Test event queued: see the delivery log." />
      <FormMessage state={toggle.state} />
      <FormMessage state={remove.state} />
    </div>
  );
}
