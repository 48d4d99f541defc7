import { getDb } from "@/db/index";
import { methodNotAllowed, postEvents } from "@/lib/api/handlers";

// Ingest: API key with the write scope (the proxy leaves /api/* to the handlers).
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return postEvents(getDb(), request);
}

export function GET(request: Request) {
  return methodNotAllowed(getDb(), request, "write", "POST");
}
