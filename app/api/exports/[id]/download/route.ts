import { z } from "zod";
import { defineRoute, notFoundResponse } from "@/lib/auth/route";
import { openExportDownload } from "@/lib/exports/requests";
import { getBlobStore } from "@/lib/storage";
import { serveBlob } from "@/lib/storage/serve";

// An export's file, streamed from the blob store. Only its requester gets it, and only while they may
// still see every conversation in it (lib/exports/requests.ts, which also applies the admin's
// switch); anything else is a 404, so an id reveals nothing. Each download is audited.
export const GET = defineRoute({
  permission: "conversations:read",
  params: z.object({ id: z.uuid() }),
  async handler(request, { viewer, params, db, context }) {
    const file = await openExportDownload(db, viewer, params.id, await context());
    if (!file) return notFoundResponse();
    return serveBlob(request, getBlobStore(), file.fileKey, {
      contentType: file.fileName.endsWith(".zip") ? "application/zip" : "text/csv; charset=utf-8",
      fileName: file.fileName,
    });
  },
});
