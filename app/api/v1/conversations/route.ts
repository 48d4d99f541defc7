import { getDb } from "@/db/index";
import { getConversations } from "@/lib/api/handlers";
import { getReplicaDb } from "@/lib/db-read";

// Read API for BI tools: API key with the read scope.
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  // API clients have no read-your-writes window: the listing reads the replica when there is one.
  return getConversations(getDb(), request, getReplicaDb() ?? undefined);
}
