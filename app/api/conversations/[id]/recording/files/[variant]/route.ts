import { z } from "zod";
import { defineRoute, notFoundResponse } from "@/lib/auth/route";
import { artifactVariant } from "@/lib/recordings/artifacts";
import { getArtifact, getRecordingForViewer } from "@/lib/recordings/queries";
import { getBlobStore } from "@/lib/storage";
import { serveBlob } from "@/lib/storage/serve";

// A built download: `merged` ("Download as a single file") or `leg-N` (one of "separate files"),
// always FLAC. Files are requested (and built) through requestRecordingFilesAction first.
export const GET = defineRoute({
  permission: "recordings:read",
  download: true,
  params: z.object({
    id: z.uuid(),
    variant: z
      .string()
      .transform((v) => v.replace(/\.flac$/, ""))
      .pipe(artifactVariant),
  }),
  async handler(request, { viewer, params: { id, variant }, db }) {
    const recording = await getRecordingForViewer(db, viewer, id);
    if (!recording) return notFoundResponse();
    const artifact = await getArtifact(db, recording, variant);
    if (artifact?.status !== "succeeded" || !artifact.storage_key) return notFoundResponse();
    const leg = recording.legs.find((l) => `leg-${l.legIndex}` === variant);
    const fileName = leg ? `recording-${id}-leg-${leg.legIndex}-${leg.label}.flac` : `recording-${id}.flac`;
    return serveBlob(request, getBlobStore(), artifact.storage_key, { contentType: "audio/flac", fileName });
  },
});
