"use client";

import { useId, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { ShownOnce } from "@/components/shown-once";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { createWebhookAction } from "../actions";

/** The add form, replaced by the new endpoint's signing secret (shown this once) until Done. */
export function CreateWebhook() {
  const { state, pending, formProps, field, errorFor } = useActionForm(createWebhookAction);
  const created = state?.ok ? state.data : null;
  const [dismissed, setDismissed] = useState<typeof created>(null);
  const id = useId();

  if (created && created !== dismissed) {
    return (
      <ShownOnce
        heading={`Webhook added: ${created.url}`}
        label="Signing secret"
        value={created.secret}
        copyLabel="Copy signing secret"
        onDone={() => setDismissed(created)}
      >
        <p className="text-sm">
          Your endpoint checks each request with this secret: see “Receiving webhooks” in the README.
        </p>
      </ShownOnce>
    );
  }
  return (
    <form
      {...formProps}
      className="grid gap-4 rounded-lg border border-border bg-background p-5 shadow-xs"
      noValidate
    >
      <h3 className="font-medium">Add a webhook</h3>
      <div className="grid max-w-xl gap-1.5">
        <Label htmlFor={`${id}-url`}>Endpoint URL</Label>
        <Input
          id={`${id}-url`}
          type="url"
          inputMode="url"
          placeholder="https://example.com/parley-events"
          maxLength={2000}
          required
          {...field("url")}
        />
        {errorFor("url")}
      </div>
      <div className="grid max-w-xl gap-1.5">
        <Label htmlFor={`${id}-description`}>Description (optional)</Label>
        <Input id={`${id}-description`} maxLength={200} {...field("description")} />
        {errorFor("description")}
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Events</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <div key={event} className="flex items-center gap-2">
            <input
              type="checkbox"
              id={`${id}-${event}`}
              name="events"
              value={event}
              className="size-4 accent-primary"
            />
            <Label htmlFor={`${id}-${event}`} className="flex gap-2">
              <span>{WEBHOOK_EVENT_LABELS[event]}</span>
              <span className="font-mono font-normal text-muted-foreground">{event}</span>
            </Label>
          </div>
        ))}
        {errorFor("events")}
      </fieldset>
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Adding…" : "Add webhook"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
