import { getDb } from "@/db/index";
import { getHealth } from "@/lib/health/index";

// Public (the proxy lets it through) and never cached: load balancers and `npm start` poll it.
export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth(getDb());
  return Response.json(health, {
    status: health.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
