import { getDb } from "@/db/index";
import { downloadRefused } from "@/lib/exports/requests";
import { notFound, recordingViewer } from "@/lib/recordings/http";
import { getScreenRecordingFile } from "@/lib/recordings/queries";
import { BlobStore } from "@/lib/storage/blobs";
import { serveBlob } from "@/lib/storage/serve";

// One agent's screen recording (WebM) of the conversation: supervisors and admins any, agents only
// their own; otherwise, and until it is available, it does not exist (404).
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string; agentId: string }> },
) {
  const viewer = await recordingViewer();
  if (viewer instanceof Response) return viewer;
  const refused = await downloadRefused(getDb(), viewer);
  if (refused) return refused;
  const { id, agentId } = await params;
  const file = await getScreenRecordingFile(getDb(), viewer, id, agentId);
  if (!file?.storageKey) return notFound();
  return serveBlob(request, new BlobStore(), file.storageKey, {
    contentType: "video/webm",
    fileName: `screen-recording-${id}-${agentId}.webm`,
  });
}
