import type { NextRequest } from "next/server";
import { getDb } from "@/db/index";
import { auditCsv } from "@/lib/audit/csv";
import { recordAudit } from "@/lib/audit/index";
import { auditSearchParams, parseAuditSearch } from "@/lib/audit/query";
import { can } from "@/lib/auth/permissions";
import { requestContext } from "@/lib/auth/request-context";
import { getViewer } from "@/lib/auth/viewer";
import { contentDisposition } from "@/lib/files/content-disposition";

// The audit log page's filters as a CSV download, streamed. Admins only; the proxy leaves /api/* alone,
// so signed-out and forbidden callers get their answers here.
export async function GET(request: NextRequest) {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to continue." }, { status: 401 });
  if (!can(viewer.role, "admin:view")) return Response.json({ error: "Access restricted" }, { status: 403 });

  const { before: _, ...filters } = parseAuditSearch(request.nextUrl.searchParams);
  const db = getDb();
  // Taking a copy of the log is itself worth a line in it.
  await recordAudit(db, {
    actor: { kind: "user", id: viewer.id },
    action: "audit.export",
    detail: Object.fromEntries(auditSearchParams(filters)),
    context: await requestContext(),
  });
  const chunks = auditCsv(db, filters);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        console.error("Audit CSV export failed:", error);
        controller.error(error); // the download fails visibly rather than ending short
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": contentDisposition(`parley-audit-log-${day}.csv`),
      "cache-control": "no-store",
    },
  });
}
