import { getDb } from "@/db/index";
import { getReadiness } from "@/lib/health/readiness";
import { getBlobStore } from "@/lib/storage/index";

// Readiness (GET /api/health stays liveness): 503 until the database answers, every migration of
// this build is applied and the blob store can be reached. Public, like /api/health, and never cached.
export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await getReadiness(getDb(), () => getBlobStore().check());
  return Response.json(readiness, {
    status: readiness.ready ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
