"use client";

import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Input, NativeSelect } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { FilterVisibility } from "@/db/types";
import type { ActionResult } from "@/lib/auth/action";

const VISIBILITY_LABELS: Record<FilterVisibility, string> = {
  private: "Private (only you)",
  shared: "Shared with the team",
};

/** "Visible to": private, or shared with the team. */
export function VisibilityField({
  value,
  onChange,
}: {
  value: FilterVisibility;
  onChange: (value: FilterVisibility) => void;
}) {
  const id = useId();
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>Visible to</Label>
      <NativeSelect
        id={id}
        className="w-full"
        value={value}
        onChange={(e) => onChange(e.target.value as FilterVisibility)}
      >
        {Object.entries(VISIBILITY_LABELS).map(([option, label]) => (
          <option key={option} value={option}>
            {label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

/** The first message a refused action carries: a field's own message before the generic one. */
export function actionError(result: ActionResult<unknown>): string | null {
  if (result.ok) return null;
  const fields = result.fieldErrors ?? {};
  return fields.filter ?? fields.name ?? Object.values(fields)[0] ?? result.error;
}

/**
 * Asks for a filter's name (and, when saving, who sees it): the Save & Apply pop-up and the
 * Duplicate action's Rename Filter window. Stays open with the server's message when refused.
 */
export function NameDialog({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  initialName = "",
  withVisibility = false,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  submitLabel: string;
  initialName?: string;
  withVisibility?: boolean;
  onSubmit: (name: string, visibility: FilterVisibility) => Promise<ActionResult<unknown>>;
}) {
  const id = useId();
  const [name, setName] = useState(initialName);
  const [visibility, setVisibility] = useState<FilterVisibility>("private");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const change = (next: boolean) => {
    if (next) {
      setName(initialName);
      setVisibility("private");
      setError(null);
    }
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={change}>
      <DialogContent>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            // React events bubble through portals: keep this submit from reaching the filter form.
            event.stopPropagation();
            startTransition(async () => {
              const result = await onSubmit(name, visibility);
              setError(actionError(result));
              if (result.ok) onOpenChange(false);
            });
          }}
        >
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-name`}>Name</Label>
            <Input
              id={`${id}-name`}
              value={name}
              maxLength={80}
              required
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          {withVisibility && <VisibilityField value={visibility} onChange={setVisibility} />}
          {error && (
            <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={() => change(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {submitLabel}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
