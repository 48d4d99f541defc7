import { z } from "zod";
import { defineRoute } from "@/lib/auth/route";
import { DIAGNOSTICS_EXPORTS, diagnosticsFile } from "@/lib/diagnostics/download";
import { contentDisposition } from "@/lib/files/content-disposition";
import { getSettings } from "@/lib/settings/request";
import { getBlobStore } from "@/lib/storage";

// Export PCAP (/pcap) and Export TEXT (/text) of a voice conversation's capture. A conversation
// outside the viewer's scope, or not a call, is a 404, the same as one that does not exist.
export const dynamic = "force-dynamic";

export const GET = defineRoute({
  permission: "conversations:read",
  download: true,
  params: z.object({ id: z.uuid(), format: z.enum(DIAGNOSTICS_EXPORTS) }),
  async handler(_request, { viewer, params: { id, format }, db, context }) {
    const settings = await getSettings();
    const file = await diagnosticsFile(db, getBlobStore(), viewer, id, format, {
      obscureCustomerInfo: settings.obscure_customer_info,
      context: await context(),
    });
    if (!file.ok) return Response.json({ error: file.error }, { status: file.status });
    return new Response(file.body, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": contentDisposition(file.filename),
        "cache-control": "private, no-store",
      },
    });
  },
});
