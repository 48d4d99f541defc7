import { MessagesSquare } from "lucide-react";
import type { ConversationDetail } from "@/lib/conversations/detail";
import type { TimeDisplayFormat } from "@/lib/conversations/transcript-time";
import { PlayerProvider } from "./player-context";
import { RecordingMediaSection } from "./recording-media-section";
import { RecordingSection } from "./recording-section";
import { ShowMore } from "./show-more";
import { TranscriptEntries } from "./transcript-entries";

export function TranscriptTab({
  detail,
  format,
  q,
}: {
  detail: ConversationDetail;
  format: TimeDisplayFormat;
  /** The search the panel was opened from: later pages mark its matches too. */
  q?: string;
}) {
  const { transcript } = detail;
  // The fetch state (or nothing once available), then the player and screen recordings; the
  // provider lets the player seek from transcript lines and mark the one being heard.
  const recording = (
    <>
      <RecordingSection conversationId={detail.id} />
      {detail.channel !== "email" && <RecordingMediaSection conversationId={detail.id} />}
    </>
  );
  if (transcript.entries.length === 0) {
    return (
      <div className="grid gap-3">
        {recording}
        <div className="flex flex-col items-center gap-2 py-10 text-center text-sm text-muted-foreground">
          <MessagesSquare className="size-6" aria-hidden />
          No transcript for this conversation yet.
        </div>
      </div>
    );
  }
  return (
    <PlayerProvider>
      {recording}
      {detail.channel === "email" && detail.subject && (
        <h3 className="text-sm">
          <span className="text-muted-foreground">Subject: </span>
          <span className="font-semibold" data-testid="transcript-subject">
            {detail.subject}
          </span>
        </h3>
      )}
      <ol className="grid gap-2" aria-label="Transcript">
        <TranscriptEntries entries={transcript.entries} format={format} start={detail.startedAt} />
        {transcript.nextAfterSeq !== null && (
          <ShowMore
            conversationId={detail.id}
            afterSeq={transcript.nextAfterSeq}
            q={q}
            format={format}
            start={detail.startedAt}
          />
        )}
      </ol>
    </PlayerProvider>
  );
}
