"use client";

import { History, Pencil } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { LocalTime } from "@/components/local-time";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { NativeSelect, Textarea } from "@/components/ui/input";
import type { DispositionLogEntry } from "@/lib/conversations/detail";
import type { DispositionOption } from "@/lib/conversations/disposition";
import { editDispositionAction } from "./actions";

export type DispositionControlsProps = {
  conversationId: string;
  current: { code: string; note: string | null } | null;
  options: DispositionOption[];
  log: DispositionLogEntry[];
  /** Null when the viewer may edit; otherwise why Edit Disposition is disabled. */
  editDisabledReason: string | null;
};

/** Edit Disposition and View Logs, under the Disposition field of the Details tab. */
export function DispositionControls(props: DispositionControlsProps) {
  return (
    <span className="mt-1 flex flex-wrap gap-2">
      {props.editDisabledReason ? (
        <DisabledWithReason reason={props.editDisabledReason}>
          <Button variant="outline" size="sm" disabled>
            <Pencil aria-hidden />
            Edit Disposition
          </Button>
        </DisabledWithReason>
      ) : (
        <EditDisposition {...props} />
      )}
      <DispositionLog log={props.log} />
    </span>
  );
}

function EditDisposition({ conversationId, current, options }: DispositionControlsProps) {
  const [open, setOpen] = useState(false);
  const { state, pending, formProps, field, errorFor } = useActionForm(editDispositionAction);
  const selectId = useId();
  const noteId = useId();
  const currentId = options.find((o) => o.code === current?.code)?.id ?? "";
  // Saved: close; the page refreshes with the new disposition and log.
  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Pencil aria-hidden />
          Edit Disposition
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Edit Disposition</DialogTitle>
        <DialogDescription>
          The change is logged and the agent who handled the conversation is notified.
        </DialogDescription>
        <form {...formProps} className="grid gap-3">
          <input type="hidden" name="conversationId" value={conversationId} />
          <div className="grid gap-1">
            <label htmlFor={selectId} className="text-sm font-medium">
              Disposition
            </label>
            <NativeSelect
              id={selectId}
              {...field("dispositionId")}
              defaultValue={currentId}
              className="w-full"
            >
              <option value="" disabled>
                Choose a disposition…
              </option>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </NativeSelect>
            {errorFor("dispositionId")}
          </div>
          <div className="grid gap-1">
            <label htmlFor={noteId} className="text-sm font-medium">
              Note
            </label>
            <Textarea id={noteId} {...field("note")} defaultValue={current?.note ?? ""} maxLength={5000} />
            {errorFor("note")}
          </div>
          <FormMessage state={state} />
          <div className="flex justify-end">
            <Button type="submit" disabled={pending}>
              Save
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DispositionLog({ log }: { log: DispositionLogEntry[] }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm">
          <History aria-hidden />
          View Logs
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-2xl">
        <DialogTitle>Disposition logs</DialogTitle>
        <DialogDescription>Every change to this conversation's disposition, newest first.</DialogDescription>
        {log.length === 0 ? (
          <p className="text-sm text-muted-foreground">No disposition changes yet.</p>
        ) : (
          <ol className="grid max-h-[60vh] gap-2 overflow-y-auto" aria-label="Disposition logs">
            {log.map((entry) => (
              <li
                key={entry.id}
                data-testid="disposition-log-entry"
                className="grid gap-0.5 rounded-md border border-border px-3 py-2 text-sm"
              >
                <span>
                  <span className="text-muted-foreground">{entry.from ?? "None"}</span> →{" "}
                  <span className="font-medium">{entry.to ?? "None"}</span>
                </span>
                {entry.note && <span className="whitespace-pre-wrap">{entry.note}</span>}
                <span className="text-xs text-muted-foreground">
                  {entry.changedBy ?? "Set by the platform"} · <LocalTime value={entry.changedAt} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </DialogContent>
    </Dialog>
  );
}
