import { getDb } from "@/db/index";
import { downloadRefused } from "@/lib/exports/requests";
import { artifactVariant } from "@/lib/recordings/artifacts";
import { notFound, scopedRecording } from "@/lib/recordings/http";
import { getArtifact } from "@/lib/recordings/queries";
import { BlobStore } from "@/lib/storage/blobs";
import { serveBlob } from "@/lib/storage/serve";

// A built download: `merged` ("Download as a single file") or `leg-N` (one of "separate files"),
// always FLAC. Files are requested (and built) through requestRecordingFilesAction first.
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string; variant: string }> },
) {
  const { id, variant: raw } = await params;
  const found = await scopedRecording(id);
  if (found instanceof Response) return found;
  const refused = await downloadRefused(getDb(), found.viewer);
  if (refused) return refused;
  const variant = artifactVariant.safeParse(raw.replace(/\.flac$/, ""));
  if (!variant.success) return notFound();
  const { recording } = found;
  const artifact = await getArtifact(getDb(), recording, variant.data);
  if (artifact?.status !== "succeeded" || !artifact.storage_key) return notFound();
  const leg = recording.legs.find((l) => `leg-${l.legIndex}` === variant.data);
  const fileName = leg ? `recording-${id}-leg-${leg.legIndex}-${leg.label}.flac` : `recording-${id}.flac`;
  return serveBlob(request, new BlobStore(), artifact.storage_key, { contentType: "audio/flac", fileName });
}
