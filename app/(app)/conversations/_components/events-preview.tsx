"use client";

import { Download, Loader2 } from "lucide-react";
import { useEffect, useState } from "react";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { useTimeZone } from "@/components/time-zone";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import type { EventsPreview } from "@/lib/exports/events";
import { EVENTS_PERIODIC_NOTE, EVENTS_TOO_OLD, EXPORT_RESTRICTED, eventsTooOld } from "@/lib/exports/kinds";
import { formatDateTimeSeconds } from "@/lib/time/format";
import { UNREACHABLE, useExportDownloads } from "../../_components/export-downloads";
import { previewEventsAction, startExportAction } from "../../exports/actions";

/** Preview Events for one conversation (from the row's ⋮ menu or the Export menu), with Download Events. */
export function EventsPreviewDialog({
  conversationId,
  canExport,
  onClose,
}: {
  conversationId: string;
  canExport: boolean;
  onClose: () => void;
}) {
  const [state, setState] = useState<{ preview: EventsPreview } | { error: string } | null>(null);
  const [starting, setStarting] = useState(false);
  const exports = useExportDownloads();
  const timeZone = useTimeZone();

  useEffect(() => {
    let live = true;
    void previewEventsAction({ id: conversationId }).then(
      (result) => {
        if (live) setState(result.ok ? { preview: result.data } : { error: result.error });
      },
      () => {
        if (live) setState({ error: UNREACHABLE }); // not "Loading events…" for ever
      },
    );
    return () => {
      live = false;
    };
  }, [conversationId]);

  const downloadEvents = async () => {
    setStarting(true);
    const started = await exports.start(
      startExportAction({ kind: "events", selection: { ids: [conversationId] } }),
    );
    setStarting(false);
    if (started) onClose();
  };

  const preview = state && "preview" in state ? state.preview : null;
  const tooOld = preview ? eventsTooOld(new Date(preview.startedAt)) : false;
  const reason = !canExport ? EXPORT_RESTRICTED : tooOld ? EVENTS_TOO_OLD : null;
  const button = (
    <Button onClick={() => void downloadEvents()} disabled={!preview || !!reason || starting}>
      {starting ? <Loader2 className="animate-spin" aria-hidden /> : <Download aria-hidden />}
      Download Events
    </Button>
  );

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-xl" data-testid="events-preview">
        <DialogTitle>Preview Events</DialogTitle>
        <DialogDescription>{EVENTS_PERIODIC_NOTE}</DialogDescription>
        {state === null && (
          <p role="status" className="flex items-center gap-2 text-sm text-muted-foreground">
            <Loader2 className="size-4 animate-spin" aria-hidden /> Loading events…
          </p>
        )}
        {state && "error" in state && (
          <p role="alert" className="text-sm text-destructive">
            {state.error}
          </p>
        )}
        {preview &&
          (preview.events.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              No events have been recorded for this conversation yet.
            </p>
          ) : (
            <ol
              className="max-h-80 space-y-2 overflow-y-auto border-l border-border pl-4"
              aria-label="Events"
            >
              {preview.events.map((event) => (
                <li key={event.id} className="relative text-sm" data-testid="event-row">
                  <span
                    aria-hidden
                    className="absolute top-1.5 -left-[1.3rem] size-2 rounded-full bg-primary"
                  />
                  <span className="font-medium">{event.label}</span>
                  {(event.agent || event.queue) && (
                    <span className="text-muted-foreground">
                      {" "}
                      · {[event.agent, event.queue].filter(Boolean).join(" · ")}
                    </span>
                  )}
                  <br />
                  <time
                    className="text-xs text-muted-foreground tabular-nums"
                    dateTime={new Date(event.at).toISOString()}
                  >
                    {formatDateTimeSeconds(new Date(event.at), timeZone)}
                  </time>
                </li>
              ))}
            </ol>
          ))}
        <div className="flex justify-end">
          {reason ? <DisabledWithReason reason={reason}>{button}</DisabledWithReason> : button}
        </div>
      </DialogContent>
    </Dialog>
  );
}
