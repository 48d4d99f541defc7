import { Readable } from "node:stream";
import { z } from "zod";
import { defineRoute, notFoundResponse } from "@/lib/auth/route";
import { openExportDownload } from "@/lib/exports/requests";
import { contentDisposition } from "@/lib/files/content-disposition";
import { BlobStore } from "@/lib/storage/blobs";

// An export's file, streamed from the blob store. Only its requester gets it, and only while they may
// still see every conversation in it (lib/exports/requests.ts, which also applies the admin's
// switch); anything else is a 404, so an id reveals nothing. Each download is audited.
export const GET = defineRoute({
  permission: "conversations:read",
  params: z.object({ id: z.uuid() }),
  async handler(_request, { viewer, params, db, context }) {
    const file = await openExportDownload(db, viewer, params.id, await context());
    if (!file) return notFoundResponse();
    const body = Readable.toWeb(new BlobStore().stream(file.fileKey)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "content-type": file.fileName.endsWith(".zip") ? "application/zip" : "text/csv; charset=utf-8",
        "content-disposition": contentDisposition(file.fileName),
        ...(file.sizeBytes !== null ? { "content-length": String(file.sizeBytes) } : {}),
        "cache-control": "private, no-store",
      },
    });
  },
});
