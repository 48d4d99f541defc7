import { getDb } from "@/db/index";
import { notFound, scopedRecording } from "@/lib/recordings/http";
import { getArtifact, isPlayable } from "@/lib/recordings/queries";
import { BlobStore } from "@/lib/storage/blobs";
import { serveBlob } from "@/lib/storage/serve";

// What the player streams: the merged FLAC of the recording's current legs (one channel per leg),
// with byte ranges for seeking. Outside the viewer's scope it does not exist (404).
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await scopedRecording((await params).id);
  if (found instanceof Response) return found;
  const { recording } = found;
  if (!isPlayable(recording)) return notFound();
  const artifact = await getArtifact(getDb(), recording, "merged");
  if (artifact?.status !== "succeeded" || !artifact.storage_key) return notFound();
  return serveBlob(request, new BlobStore(), artifact.storage_key, { contentType: "audio/flac" });
}

export const HEAD = GET;
