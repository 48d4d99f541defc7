"use client";

import { TriangleAlert } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { CopyButton } from "@/components/copy-button";
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
    return <NewKey name={created.name} token={created.token} onDone={() => setDismissed(created)} />;
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

function NewKey({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  // Move focus to the key so keyboard and screen-reader users land on it.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="grid gap-3 rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-800 dark:bg-amber-950 shadow-xs"
    >
      <h3 id={`${id}-heading`} ref={heading} tabIndex={-1} className="font-medium outline-none">
        API key “{name}” created
      </h3>
      <p className="flex items-start gap-2 text-sm text-amber-900 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        Copy this key now and store it somewhere safe. It will not be shown again.
      </p>
      <div className="flex max-w-2xl items-center gap-2">
        <Label htmlFor={`${id}-token`} className="sr-only">
          New API key
        </Label>
        <Input
          id={`${id}-token`}
          readOnly
          value={token}
          className="font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={token} label="Copy API key">
          Copy
        </CopyButton>
      </div>
      <div>
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </div>
    </section>
  );
}
