"use client";

import { useMemo, useState, useTransition } from "react";
import { setTimeZoneAction } from "@/app/(app)/_components/preference-actions";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { browserTimeZone, useTimeZone } from "./time-zone";

function zones(current: string): string[] {
  const all = new Set(Intl.supportedValuesOf("timeZone"));
  all.add("UTC");
  all.add(current);
  return [...all].sort();
}

/** The user menu's "Time zone" choice: every time in Parley is shown in it. */
export function TimeZoneDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const current = useTimeZone();
  const [choice, setChoice] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const options = useMemo(() => (open ? zones(current) : []), [open, current]);
  const browser = open ? browserTimeZone() : null;

  function save() {
    setError(null);
    startTransition(async () => {
      const result = await setTimeZoneAction({ timeZone: choice });
      if (result.ok) onOpenChange(false);
      else setError(result.fieldErrors?.timeZone ?? result.error);
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) setChoice(current);
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogTitle>Time zone</DialogTitle>
        <DialogDescription>Every date and time in Parley is shown in this zone.</DialogDescription>
        <div className="grid gap-2">
          <label htmlFor="time-zone-select" className="text-sm font-medium">
            Time zone
          </label>
          <select
            id="time-zone-select"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "time-zone-error" : undefined}
            className="h-9 rounded-md border border-input bg-background px-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            {options.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </select>
          {browser && browser !== choice && (
            <Button
              type="button"
              variant="ghost"
              size="sm"
              className="w-fit"
              onClick={() => setChoice(browser)}
            >
              Use this browser’s zone ({browser.replaceAll("_", " ")})
            </Button>
          )}
          {error && (
            <p id="time-zone-error" role="alert" className="text-sm text-destructive">
              {error}
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2">
          <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="button" onClick={save} disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
