import { noteAccess } from "@/lib/audit/note-access";
import { conversationParams, defineRoute, notFoundResponse } from "@/lib/auth/route";
import { transcriptText } from "@/lib/conversations/transcript-text";
import { contentDisposition } from "@/lib/files/content-disposition";

// One conversation's transcript as a text download. A conversation outside the viewer's scope is a
// 404, the same as one that does not exist.
export const GET = defineRoute({
  permission: "conversations:read",
  download: true,
  params: conversationParams,
  async handler(_request, { viewer, params: { id }, db }) {
    const text = await transcriptText(db, viewer, id);
    if (text === null) return notFoundResponse();
    await noteAccess(viewer, id, "transcript.download");
    return new Response(text, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": contentDisposition(`transcript-${id}.txt`),
        "cache-control": "private, no-store",
      },
    });
  },
});
