import { getDb } from "@/db/index";
import { prepareRecordingMedia } from "@/lib/jobs/definitions";
import { enqueue } from "@/lib/jobs/enqueue";
import { getBoss } from "@/lib/jobs/instance";
import { notFound, scopedRecording } from "@/lib/recordings/http";
import type { Peaks } from "@/lib/recordings/media";
import { getArtifact, isPlayable } from "@/lib/recordings/queries";
import { BlobStore } from "@/lib/storage/blobs";

// The waveform (peaks the worker computed) and whether the audio can be streamed yet:
// { status: "ready", peaks }, { status: "preparing" } or { status: "failed" }. A recording whose media was never prepared
// (legs stored by a path that did not ask for it) gets its job here; repeated asks are no-ops.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const found = await scopedRecording((await params).id);
  if (found instanceof Response) return found;
  const { recording } = found;
  if (!isPlayable(recording)) return notFound();
  const blobs = new BlobStore();
  const artifact = await getArtifact(getDb(), recording, "merged");
  const peaksKey = `recordings/${recording.conversationId}/peaks-${recording.hash}.json`;
  if (artifact?.status === "succeeded" && recording.peaksKey === peaksKey && (await blobs.exists(peaksKey))) {
    const peaks = JSON.parse((await blobs.get(peaksKey)).toString("utf8")) as Peaks;
    return Response.json({ status: "ready", peaks }, { headers: { "cache-control": "private, no-store" } });
  }
  // A failed build is retried by pg-boss and by a new download request, not by every poll.
  if (artifact?.status === "failed") return Response.json({ status: "failed" });
  // A live build is left alone; one whose worker died (lease lapsed) is taken over by the job.
  if (artifact?.status !== "running" || artifact.lapsed) {
    await enqueue(
      await getBoss(),
      prepareRecordingMedia,
      { recordingId: recording.id },
      {
        singletonKey: recording.id,
        singletonSeconds: 30,
      },
    );
  }
  return Response.json({ status: "preparing" }, { headers: { "cache-control": "private, no-store" } });
}
