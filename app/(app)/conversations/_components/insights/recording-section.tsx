import { getDb } from "@/db/index";
import { requireViewer } from "@/lib/auth/viewer";
import { getRecordingStatus } from "@/lib/recordings/status";
import { RecordingStatus } from "./recording-status";

/** The recording's fetch state for the transcript tab, read (scoped) for the viewer. */
export async function RecordingSection({ conversationId }: { conversationId: string }) {
  const viewer = await requireViewer();
  const status = await getRecordingStatus(getDb(), viewer, conversationId);
  return <RecordingStatus conversationId={conversationId} status={status} />;
}
