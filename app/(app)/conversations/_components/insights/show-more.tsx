"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { TranscriptEntry } from "@/lib/conversations/detail";
import type { TimeDisplayFormat } from "@/lib/conversations/transcript-time";
import { loadTranscriptPageAction } from "./actions";
import { TranscriptEntries } from "./transcript-entries";

/**
 * Long transcripts: the server renders the first page; each "Show more" appends the next one
 * (TRANSCRIPT_PAGE_SIZE messages), so a thousand-message call never arrives all at once.
 */
export function ShowMore({
  conversationId,
  afterSeq,
  format,
  start,
  q,
}: {
  conversationId: string;
  afterSeq: number;
  q?: string;
  format: TimeDisplayFormat;
  start: Date;
}) {
  const [entries, setEntries] = useState<TranscriptEntry[]>([]);
  const [next, setNext] = useState<number | null>(afterSeq);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const load = () =>
    startTransition(async () => {
      if (next === null) return;
      const result = await loadTranscriptPageAction({ conversationId, afterSeq: next, q });
      if (!result.ok) return setError(result.error);
      setError(null);
      setEntries((shown) => [...shown, ...result.data.entries]);
      setNext(result.data.nextAfterSeq);
    });
  return (
    <>
      <TranscriptEntries entries={entries} format={format} start={start} />
      {next !== null && (
        <li className="flex items-center justify-center gap-3 py-2">
          <Button
            type="button"
            variant="outline"
            size="sm"
            onClick={load}
            disabled={pending}
            aria-busy={pending}
          >
            {pending ? "Loading…" : "Show more"}
          </Button>
          {error && (
            <span role="alert" className="text-sm text-destructive">
              {error}
            </span>
          )}
        </li>
      )}
    </>
  );
}
