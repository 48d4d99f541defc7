"use client";

import { CheckCircle2, Download, Loader2, RotateCcw, TriangleAlert, X } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { subscribeLive } from "@/components/live-events";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/auth/action";
import { EXPORT_STARTED } from "@/lib/exports/kinds";
import type { StartedExport } from "@/lib/exports/requests";
import { exportStatusAction, retryExportAction } from "../exports/actions";

// Exports in flight in this tab: "Export started" at once, then the file downloads by itself when
// the worker's news arrives over /api/live (or fails with its message and a Retry). The stream is
// open only while something is in flight, so a tab holds no extra connection the rest of the time.

type Tracked = {
  id: string;
  fileName: string;
  state: "running" | "downloaded" | "failed";
  error: string | null;
};

type ExportDownloads = {
  /** Follows an export just started (or retried) until its file downloads. */
  track: (started: Pick<StartedExport, "id" | "fileName">) => void;
  /** Shows a refusal (too many conversations, no access) where export news appears. */
  report: (message: string) => void;
  /**
   * Awaits a request that starts (or retries) an export, then tracks it or reports why not; a
   * request that fails outright (network) is reported too, so callers can always clear a spinner.
   * True when the export started.
   */
  start: (request: Promise<ActionResult<StartedExport>>) => Promise<boolean>;
};

export const UNREACHABLE = "Could not reach Parley. Please try again.";

const ExportDownloadsContext = createContext<ExportDownloads | null>(null);

export function useExportDownloads(): ExportDownloads {
  const value = useContext(ExportDownloadsContext);
  if (!value) throw new Error("useExportDownloads outside ExportDownloadsProvider");
  return value;
}

/** Starts the browser's download of a finished export (the server re-checks access). */
function download(id: string, fileName: string) {
  const a = document.createElement("a");
  a.href = `/api/exports/${id}/download`;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
}

export function ExportDownloadsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<Tracked[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const running = items.some((item) => item.state === "running");
  // The list as of the last change, read by the stream's listeners: the stream and the status check
  // can report the same export in one tick, and it must download once.
  const itemsRef = useRef(items);
  const router = useRouter();
  const change = useCallback((next: (all: Tracked[]) => Tracked[]) => {
    itemsRef.current = next(itemsRef.current);
    setItems(itemsRef.current);
  }, []);

  const settle = useCallback(
    (id: string, status: string, fileName: string, error: string | null) => {
      if (itemsRef.current.find((i) => i.id === id)?.state !== "running") return; // already handled
      if (status === "succeeded") {
        change((all) => all.map((i) => (i.id === id ? { ...i, state: "downloaded" } : i)));
        download(id, fileName);
      } else if (status === "failed") {
        change((all) => all.map((i) => (i.id === id ? { ...i, state: "failed", error } : i)));
      } else return;
      router.refresh(); // the Exports page, if open, shows the new state
    },
    [change, router],
  );

  useEffect(() => {
    if (!running) return;
    return subscribeLive({
      // Whatever finished before the stream opened is asked for once, right after it opens.
      open: () => {
        for (const item of itemsRef.current.filter((i) => i.state === "running")) {
          void exportStatusAction({ id: item.id }).then((result) => {
            if (result.ok)
              settle(result.data.id, result.data.status, result.data.fileName, result.data.error);
          });
        }
      },
      event: (event) => {
        if (event.type === "user" && event.event.type === "export") {
          settle(event.event.id, event.event.status, event.event.fileName, event.event.error);
        }
      },
    });
  }, [running, settle]);

  const track = useCallback(
    (started: Pick<StartedExport, "id" | "fileName">) => {
      setNotice(null);
      change((all) => [
        { id: started.id, fileName: started.fileName, state: "running", error: null },
        ...all.filter((i) => i.id !== started.id).slice(0, 4),
      ]);
    },
    [change],
  );
  const start = useCallback(
    async (request: Promise<ActionResult<StartedExport>>) => {
      try {
        const result = await request;
        if (result.ok) track(result.data);
        else setNotice(result.error);
        return result.ok;
      } catch {
        setNotice(UNREACHABLE);
        return false;
      }
    },
    [track],
  );
  const value = useMemo(() => ({ track, report: setNotice, start }), [track, start]);

  const retry = (id: string) => start(retryExportAction({ id }));
  const dismiss = (id: string) => change((all) => all.filter((i) => i.id !== id));

  return (
    <ExportDownloadsContext value={value}>
      {children}
      <div
        role="status"
        aria-live="polite"
        data-testid="export-status"
        className="fixed right-4 bottom-4 z-50 flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2"
      >
        {notice && (
          <div className="flex items-start gap-2 rounded-md border border-border bg-background p-3 text-sm shadow-lg">
            <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
            <p className="flex-1">{notice}</p>
            <button
              type="button"
              className="rounded-sm text-muted-foreground hover:text-foreground"
              onClick={() => setNotice(null)}
            >
              <X className="size-4" aria-hidden />
              <span className="sr-only">Dismiss</span>
            </button>
          </div>
        )}
        {items.map((item) => (
          <div
            key={item.id}
            data-export-id={item.id}
            data-state={item.state}
            className="flex items-start gap-2 rounded-md border border-border bg-background p-3 text-sm shadow-lg"
          >
            {item.state === "running" && (
              <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin" aria-hidden />
            )}
            {item.state === "downloaded" && (
              <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden />
            )}
            {item.state === "failed" && (
              <TriangleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
            )}
            <div className="min-w-0 flex-1">
              <p className="truncate font-medium">{item.fileName}</p>
              {item.state === "running" && <p className="text-muted-foreground">{EXPORT_STARTED}</p>}
              {item.state === "downloaded" && (
                <p className="text-muted-foreground">
                  Export complete.{" "}
                  <a className="underline" href={`/api/exports/${item.id}/download`} download={item.fileName}>
                    <Download className="inline size-3.5" aria-hidden /> Download again
                  </a>
                </p>
              )}
              {item.state === "failed" && (
                <div className="flex flex-wrap items-center gap-2">
                  <p className="text-destructive">{item.error}</p>
                  <Button size="sm" variant="outline" onClick={() => void retry(item.id)}>
                    <RotateCcw aria-hidden />
                    Retry
                  </Button>
                  <Link className="underline" href="/exports">
                    Exports
                  </Link>
                </div>
              )}
            </div>
            {item.state !== "running" && (
              <button
                type="button"
                className="rounded-sm text-muted-foreground hover:text-foreground"
                onClick={() => dismiss(item.id)}
              >
                <X className="size-4" aria-hidden />
                <span className="sr-only">Dismiss</span>
              </button>
            )}
          </div>
        ))}
      </div>
    </ExportDownloadsContext>
  );
}
