import { getDb } from "@/db/index";
import { can } from "@/lib/auth/permissions";
import { getViewer } from "@/lib/auth/viewer";
import { transcriptText } from "@/lib/conversations/transcript-text";
import { downloadRefused } from "@/lib/exports/requests";
import { contentDisposition } from "@/lib/files/content-disposition";

// One conversation's transcript as a text download. A conversation outside the viewer's scope is a
// 404, the same as one that does not exist.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (!can(viewer.role, "conversations:read")) {
    return Response.json({ error: "Access restricted" }, { status: 403 });
  }
  const db = getDb();
  const refused = await downloadRefused(db, viewer);
  if (refused) return refused;
  const { id } = await params;
  const text = await transcriptText(db, viewer, id);
  if (text === null) return Response.json({ error: "Not found" }, { status: 404 });
  return new Response(text, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": contentDisposition(`transcript-${id}.txt`),
      "cache-control": "private, no-store",
    },
  });
}
