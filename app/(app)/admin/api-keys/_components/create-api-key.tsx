"use client";

import { useId, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { ShownOnce } from "@/components/shown-once";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { createApiKeyAction } from "../actions";

const SCOPES = [
  { value: "read", label: "read", hint: "Read conversations and recordings" },
  { value: "write", label: "write", hint: "Send conversations and events in (ingest)" },
] as const;

/** The create form, replaced by the new key (shown this once) until the admin is done with it. */
export function CreateApiKey() {
  const { state, pending, formProps, field, errorFor } = useActionForm(createApiKeyAction);
  const created = state?.ok ? state.data : null;
  const [dismissed, setDismissed] = useState<typeof created>(null);
  const id = useId();

  if (created && created !== dismissed) {
    return (
      <ShownOnce
        heading={`API key “${created.name}” created`}
        label="New API key"
        value={created.token}
        copyLabel="Copy API key"
        onDone={() => setDismissed(created)}
      />
    );
  }
  return (
    <form
      {...formProps}
      className="grid gap-4 rounded-lg border border-border bg-background p-5 shadow-xs"
      noValidate
    >
      <h3 className="font-medium">Create an API key</h3>
      <div className="grid max-w-sm gap-1.5">
        <Label htmlFor={`${id}-name`}>Name</Label>
        <Input
          id={`${id}-name`}
          placeholder="e.g. Voice gateway"
          maxLength={100}
          required
          {...field("name")}
        />
        {errorFor("name")}
      </div>
      <fieldset className="grid gap-2">
        <legend className="mb-1 text-sm font-medium">Scopes</legend>
        {SCOPES.map((scope) => (
          <div key={scope.value} className="flex items-start gap-2">
            <input
              type="checkbox"
              id={`${id}-${scope.value}`}
              name="scopes"
              value={scope.value}
              defaultChecked={scope.value === "read"}
              className="mt-0.5 size-4 accent-primary"
            />
            <Label htmlFor={`${id}-${scope.value}`} className="grid gap-1">
              <span className="font-mono">{scope.label}</span>
              <span className="font-normal text-muted-foreground">{scope.hint}</span>
            </Label>
          </div>
        ))}
        {errorFor("scopes")}
      </fieldset>
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
