import { z } from "zod";
import { noteAccess } from "@/lib/audit/note-access";
import { defineRoute, notFoundResponse } from "@/lib/auth/route";
import { getScreenRecordingFile } from "@/lib/recordings/queries";
import { getBlobStore } from "@/lib/storage";
import { serveBlob } from "@/lib/storage/serve";

// One agent's screen recording (WebM) of the conversation: supervisors and admins any, agents only
// their own; otherwise, and until it is available, it does not exist (404).
export const GET = defineRoute({
  permission: "recordings:read",
  download: true,
  params: z.object({ id: z.uuid(), agentId: z.uuid() }),
  async handler(request, { viewer, params: { id, agentId }, db }) {
    const file = await getScreenRecordingFile(db, viewer, id, agentId);
    if (!file?.storageKey) return notFoundResponse();
    await noteAccess(viewer, id, "screen-recording.download", { agentId });
    return serveBlob(request, getBlobStore(), file.storageKey, {
      contentType: "video/webm",
      fileName: `screen-recording-${id}-${agentId}.webm`,
    });
  },
});
