import { z } from "zod";
import { getDb } from "@/db/index";
import { requestContext } from "@/lib/auth/request-context";
import { getViewer } from "@/lib/auth/viewer";
import { DIAGNOSTICS_EXPORTS, diagnosticsFile } from "@/lib/diagnostics/download";
import { downloadRefused } from "@/lib/exports/requests";
import { contentDisposition } from "@/lib/files/content-disposition";
import { getSettings } from "@/lib/settings/request";
import { BlobStore } from "@/lib/storage/blobs";

// Export PCAP (/pcap) and Export TEXT (/text) of a voice conversation's capture. A conversation
// outside the viewer's scope, or not a call, is a 404, the same as one that does not exist.
export const dynamic = "force-dynamic";

const formatSchema = z.enum(DIAGNOSTICS_EXPORTS);

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string; format: string }> },
) {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  const refused = await downloadRefused(getDb(), viewer);
  if (refused) return refused;
  const { id, format } = await params;
  const kind = formatSchema.safeParse(format);
  if (!kind.success) return Response.json({ error: "Not found" }, { status: 404 });
  const settings = await getSettings();
  const file = await diagnosticsFile(getDb(), new BlobStore(), viewer, id, kind.data, {
    obscureCustomerInfo: settings.obscure_customer_info,
    context: await requestContext(),
  });
  if (!file.ok) return Response.json({ error: file.error }, { status: file.status });
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": contentDisposition(file.filename),
      "cache-control": "private, no-store",
    },
  });
}
