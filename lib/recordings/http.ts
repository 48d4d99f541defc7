import { getDb } from "../../db/index.ts";
import { can } from "../auth/permissions.ts";
import { getViewer, type Viewer } from "../auth/viewer.ts";
import { getRecordingForViewer, type ScopedRecording } from "./queries.ts";

// The checks every recording route handler starts with, in order: signed in (401), allowed to play
// recordings (403), the recording within the viewer's scope (404, the same as a missing one).

export const notFound = () => Response.json({ error: "Not found" }, { status: 404 });

export async function recordingViewer(): Promise<Viewer | Response> {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (!can(viewer.role, "recordings:read"))
    return Response.json({ error: "Access restricted" }, { status: 403 });
  return viewer;
}

export async function scopedRecording(
  conversationId: string,
): Promise<{ viewer: Viewer; recording: ScopedRecording } | Response> {
  const viewer = await recordingViewer();
  if (viewer instanceof Response) return viewer;
  const recording = await getRecordingForViewer(getDb(), viewer, conversationId);
  if (!recording) return notFound();
  return { viewer, recording };
}
