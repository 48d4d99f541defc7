import { getDb } from "@/db/index";
import { getConversation } from "@/lib/api/handlers";

// Read API for BI tools: API key with the read scope; `id` is the uuid or the session id.
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return getConversation(getDb(), request, (await params).id);
}
