import { openApiDocument } from "@/lib/api/openapi";

// Public on purpose: the API's description holds no data, and clients fetch it before they have a key.
export const dynamic = "force-static";

export function GET() {
  return Response.json(openApiDocument());
}
