import { conversationParams, defineRoute, notFoundResponse } from "@/lib/auth/route";
import { getArtifact, getRecordingForViewer, isPlayable } from "@/lib/recordings/queries";
import { getBlobStore } from "@/lib/storage";
import { serveBlob } from "@/lib/storage/serve";

// What the player streams: the merged FLAC of the recording's current legs (one channel per leg),
// with byte ranges for seeking. Outside the viewer's scope it does not exist (404). It is the whole
// recording, so the admin's "withhold downloads" switch covers it like the Download menu's files.
export const GET = defineRoute({
  permission: "recordings:read",
  download: true,
  params: conversationParams,
  async handler(request, { viewer, params, db }) {
    const recording = await getRecordingForViewer(db, viewer, params.id);
    if (!recording || !isPlayable(recording)) return notFoundResponse();
    const artifact = await getArtifact(db, recording, "merged");
    if (artifact?.status !== "succeeded" || !artifact.storage_key) return notFoundResponse();
    return serveBlob(request, getBlobStore(), artifact.storage_key, { contentType: "audio/flac" });
  },
});

export const HEAD = GET;
