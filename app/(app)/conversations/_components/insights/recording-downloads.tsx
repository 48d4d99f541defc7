"use client";

import { Download, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { SPEAKER_LABELS } from "@/lib/conversations/transcript-labels";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import type { ArtifactStatus } from "@/lib/recordings/artifacts";
import { recordingFilesStatusAction, requestRecordingFilesAction } from "./recording-file-actions";

// "Download as a single file" (all legs merged into one FLAC, a channel per leg) and "Download as
// separate files" (the legs the user picks, each a FLAC). The worker builds each file once; until
// it is ready the menu shows its progress, then the browser downloads it. Browsers may hold back
// the second of several downloads started at once (Chrome asks first), so separate files also stay
// listed as links until dismissed.

const POLL_MS = 700;
const labelOf = (label: string) => SPEAKER_LABELS[label as keyof typeof SPEAKER_LABELS] ?? label;
const fileUrl = (conversationId: string, variant: string) =>
  `/api/conversations/${conversationId}/recording/files/${variant}.flac`;

/** "Leg 2 — Agent": the name the picker gives a leg file. */
function fileLabel(variant: string, legs: { legIndex: number; label: string }[]) {
  const leg = legs.find((l) => `leg-${l.legIndex}` === variant);
  return leg ? legName(leg) : variant;
}
const legName = (leg: { legIndex: number; label: string }) => `Leg ${leg.legIndex} — ${labelOf(leg.label)}`;

function startDownload(url: string) {
  const a = document.createElement("a");
  a.href = url;
  a.download = "";
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Requests files, polls until every one is built, then downloads them (or reports the failure):
 * the player's Download menu and the row's "Download recordings" both go through it.
 */
export function useRecordingFiles(conversationId: string) {
  const [files, setFiles] = useState<ArtifactStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Separate files downloaded last, listed until dismissed or the next request. */
  const [ready, setReady] = useState<string[] | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const settle = (variants: string[], current: ArtifactStatus[]) => {
    setFiles(current);
    if (current.some((f) => f.status === "failed")) {
      setError("The file could not be prepared. Please try again.");
      return;
    }
    if (current.length === variants.length && current.every((f) => f.status === "succeeded")) {
      for (const f of current) startDownload(fileUrl(conversationId, f.variant));
      if (current.length > 1) {
        setReady(variants);
        setFiles(null);
      } else timer.current = setTimeout(() => setFiles(null), 1500);
      return;
    }
    timer.current = setTimeout(async () => {
      const result = await recordingFilesStatusAction({ conversationId, variants });
      if (!result.ok) return setError(result.error);
      settle(variants, result.data);
    }, POLL_MS);
  };

  const request = async (variants: string[]) => {
    clearTimeout(timer.current);
    setError(null);
    setReady(null);
    setFiles(variants.map((variant) => ({ variant, status: "queued", progress: 0, sizeBytes: null })));
    const result = await requestRecordingFilesAction({ conversationId, variants });
    if (!result.ok) {
      setFiles(null);
      return setError(result.error);
    }
    settle(variants, result.data);
  };
  return { files, error, request, busy: files !== null && !error, ready, dismiss: () => setReady(null) };
}

export function RecordingDownloads({
  conversationId,
  legs,
  allowed,
}: {
  conversationId: string;
  legs: { legIndex: number; label: string }[];
  allowed: boolean;
}) {
  const { files, error, request, busy, ready, dismiss } = useRecordingFiles(conversationId);
  const [picking, setPicking] = useState(false);
  const [chosen, setChosen] = useState<number[]>(legs.map((l) => l.legIndex));
  const progress = files?.length ? files.reduce((sum, f) => sum + f.progress, 0) / files.length : 0;

  if (!allowed) {
    return (
      <DisabledWithReason reason={EXPORT_RESTRICTED}>
        <Button type="button" variant="ghost" size="icon" aria-label="Download" disabled>
          <Download aria-hidden />
        </Button>
      </DisabledWithReason>
    );
  }
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button type="button" variant="ghost" size="icon" aria-label="Download" disabled={busy}>
            <Download aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuItem onSelect={() => request(["merged"])}>Download as a single file</DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setPicking(true)}>Download as separate files</DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {(files || error) && (
        <div className="basis-full text-xs" role="status" data-testid="recording-download-status">
          {error ? (
            <span className="text-destructive">{error}</span>
          ) : (
            <span className="flex items-center gap-2 text-muted-foreground">
              {progress >= 1 ? "Downloading FLAC…" : "Preparing FLAC…"}
              <progress className="h-1.5 w-32" max={1} value={progress} aria-label="Preparing the download" />
              <span className="tabular-nums">{Math.round(progress * 100)}%</span>
            </span>
          )}
        </div>
      )}
      {ready && (
        <div className="basis-full text-xs" data-testid="recording-download-links">
          <div className="flex items-center justify-between gap-2 text-muted-foreground">
            <p>{ready.length} FLAC files downloaded. If your browser held some back, download them here:</p>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label="Dismiss the file list"
              onClick={dismiss}
            >
              <X aria-hidden />
            </Button>
          </div>
          <ul className="grid gap-1">
            {ready.map((variant) => (
              <li key={variant}>
                <a
                  href={fileUrl(conversationId, variant)}
                  download
                  className="inline-flex items-center gap-1 underline-offset-2 hover:underline focus-visible:underline"
                >
                  <Download className="size-3.5" aria-hidden />
                  {fileLabel(variant, legs)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Dialog open={picking} onOpenChange={setPicking}>
        <DialogContent>
          <DialogTitle>Download as separate files</DialogTitle>
          <DialogDescription>
            Pick the recording files to download. Each downloads as a FLAC file.
          </DialogDescription>
          <ul className="grid gap-2">
            {legs.map((leg) => (
              <li key={leg.legIndex} className="flex items-center gap-2">
                <Checkbox
                  id={`leg-${leg.legIndex}`}
                  checked={chosen.includes(leg.legIndex)}
                  onCheckedChange={(on) =>
                    setChosen((c) => (on ? [...c, leg.legIndex] : c.filter((i) => i !== leg.legIndex)))
                  }
                />
                <label htmlFor={`leg-${leg.legIndex}`} className="text-sm">
                  {legName(leg)}
                </label>
              </li>
            ))}
          </ul>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={() => setPicking(false)}>
              Cancel
            </Button>
            <Button
              type="button"
              disabled={chosen.length === 0}
              onClick={() => {
                setPicking(false);
                request([...chosen].sort((a, b) => a - b).map((i) => `leg-${i}`));
              }}
            >
              Download
            </Button>
          </div>
        </DialogContent>
      </Dialog>
    </>
  );
}
