import { conversationParams, defineRoute, notFoundResponse } from "@/lib/auth/route";
import { prepareRecordingMediaJob } from "@/lib/jobs/definitions";
import { enqueue } from "@/lib/jobs/enqueue";
import { getBoss } from "@/lib/jobs/instance";
import type { Peaks } from "@/lib/recordings/media";
import { getArtifact, getRecordingForViewer, isPlayable } from "@/lib/recordings/queries";
import { getBlobStore } from "@/lib/storage";

// The waveform (peaks the worker computed) and whether the audio can be streamed yet:
// { status: "ready", peaks }, { status: "preparing" } or { status: "failed" }. A recording whose media was never prepared
// (legs stored by a path that did not ask for it) gets its job here; repeated asks are no-ops.
export const GET = defineRoute({
  permission: "recordings:read",
  params: conversationParams,
  async handler(_request, { viewer, params, db }) {
    const recording = await getRecordingForViewer(db, viewer, params.id);
    if (!recording || !isPlayable(recording)) return notFoundResponse();
    const blobs = getBlobStore();
    const artifact = await getArtifact(db, recording, "merged");
    const peaksKey = `recordings/${recording.conversationId}/peaks-${recording.hash}.json`;
    if (
      artifact?.status === "succeeded" &&
      recording.peaksKey === peaksKey &&
      (await blobs.exists(peaksKey))
    ) {
      const peaks = JSON.parse((await blobs.get(peaksKey)).toString("utf8")) as Peaks;
      return Response.json({ status: "ready", peaks }, { headers: { "cache-control": "private, no-store" } });
    }
    // A failed build is retried by pg-boss and by a new download request, not by every poll.
    if (artifact?.status === "failed") return Response.json({ status: "failed" });
    // A live build is left alone; one whose worker died (lease lapsed) is taken over by the job.
    if (artifact?.status !== "running" || artifact.lapsed) {
      await enqueue(
        await getBoss(),
        prepareRecordingMediaJob,
        { recordingId: recording.id },
        {
          singletonKey: recording.id,
          singletonSeconds: 30,
        },
      );
    }
    return Response.json({ status: "preparing" }, { headers: { "cache-control": "private, no-store" } });
  },
});
