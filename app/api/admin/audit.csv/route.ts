import { auditCsv } from "@/lib/audit/csv";
import { recordAudit } from "@/lib/audit/index";
import { auditSearchParams, parseAuditSearch } from "@/lib/audit/query";
import { defineRoute } from "@/lib/auth/route";
import { contentDisposition } from "@/lib/files/content-disposition";

// The audit log page's filters as a CSV download, streamed. Admins only.
export const GET = defineRoute({
  permission: "admin:view",
  async handler(request, { viewer, db, context }) {
    const { before: _, ...filters } = parseAuditSearch(new URL(request.url).searchParams);
    // Taking a copy of the log is itself worth a line in it.
    await recordAudit(db, {
      actor: { kind: "user", id: viewer.id },
      action: "audit.export",
      detail: Object.fromEntries(auditSearchParams(filters)),
      context: await context(),
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
  },
});
