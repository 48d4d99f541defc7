import { getDb } from "@/db/index";
import { getConversations } from "@/lib/api/handlers";

// Read API for BI tools: API key with the read scope.
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return getConversations(getDb(), request);
}
