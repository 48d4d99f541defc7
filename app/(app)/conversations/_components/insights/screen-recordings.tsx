import { Download, MonitorPlay } from "lucide-react";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import type { ScreenRecordingState } from "@/db/types";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import type { ScreenRecordingView } from "@/lib/recordings/queries";

// Screen recordings (spec: "Screen Recording"), one per agent: the spec's status texts word for
// word, and a download once available (about 10 minutes after the call).

const STATUS_TEXT: Record<Exclude<ScreenRecordingState, "deleted">, string> = {
  loading: "Loading Screen Recording",
  generating: "Generating screen recording, please wait..",
  available: "Screen recording is available for this interaction.",
  agent_app_missing:
    "Screen recording unavailable. Agent needs to install the desktop application to enable it.",
  failed: "Screen recording unavailable due to a technical issue. Please contact support.",
};
// Deleted with the voice recordings' retention policy (the spec's note), in the voice recordings' words.
const DELETED = "Recording not available. It may have been deleted as per your data retention policy.";

export function ScreenRecordings({
  conversationId,
  recordings,
  downloadsAllowed,
}: {
  conversationId: string;
  recordings: ScreenRecordingView[];
  /** The admin's export and download switch: without it the download is inactive, with the reason. */
  downloadsAllowed: boolean;
}) {
  if (recordings.length === 0) return null;
  return (
    <section aria-label="Screen recordings" className="grid gap-2 rounded-md border p-3">
      <h3 className="flex items-center gap-2 text-sm font-medium">
        <MonitorPlay className="size-4 text-muted-foreground" aria-hidden />
        Screen recording
      </h3>
      <ul className="grid gap-2">
        {recordings.map((r) => (
          <li
            key={r.agentId}
            className="flex flex-wrap items-center gap-2 text-sm"
            data-testid="screen-recording"
          >
            {recordings.length > 1 && <span className="font-medium">{r.agentName}:</span>}
            <span className="flex-1 text-muted-foreground" role="status">
              {r.status === "deleted" ? DELETED : STATUS_TEXT[r.status]}
            </span>
            {r.status === "available" &&
              (downloadsAllowed ? (
                <Button asChild variant="outline" size="sm">
                  <a href={`/api/conversations/${conversationId}/screen-recordings/${r.agentId}`} download>
                    <Download aria-hidden />
                    Download screen recording
                  </a>
                </Button>
              ) : (
                <DisabledWithReason reason={EXPORT_RESTRICTED}>
                  <Button variant="outline" size="sm" disabled>
                    <Download aria-hidden />
                    Download screen recording
                  </Button>
                </DisabledWithReason>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
