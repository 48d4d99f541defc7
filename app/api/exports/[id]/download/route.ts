import { Readable } from "node:stream";
import { z } from "zod";
import { getDb } from "@/db/index";
import { requestContext } from "@/lib/auth/request-context";
import { getViewer } from "@/lib/auth/viewer";
import { openExportDownload } from "@/lib/exports/requests";
import { contentDisposition } from "@/lib/files/content-disposition";
import { BlobStore } from "@/lib/storage/blobs";

// An export's file, streamed from the blob store. Only its requester gets it, and only while they may
// still see every conversation in it (lib/exports/requests.ts); anything else is a 404, so an id
// reveals nothing. Each download is audited.
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) return Response.json({ error: "Not found" }, { status: 404 });
  const file = await openExportDownload(getDb(), viewer, id.data, await requestContext());
  if (!file) return Response.json({ error: "Not found" }, { status: 404 });
  const body = Readable.toWeb(new BlobStore().stream(file.fileKey)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      "content-type": file.fileName.endsWith(".zip") ? "application/zip" : "text/csv; charset=utf-8",
      "content-disposition": contentDisposition(file.fileName),
      ...(file.sizeBytes !== null ? { "content-length": String(file.sizeBytes) } : {}),
      "cache-control": "private, no-store",
    },
  });
}
