import { getDb } from "@/db/index";
import { methodNotAllowed } from "@/lib/api/handlers";
import { postScreenRecording } from "@/lib/api/uploads";
import { getBoss } from "@/lib/jobs/instance";
import { getBlobStore } from "@/lib/storage";

// The agent's screen recording (WebM). API key with the write scope; `id` is the session id (or the conversation's uuid).
export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return postScreenRecording(getDb(), request, (await params).id, { blobs: getBlobStore(), boss: getBoss });
}

export function GET(request: Request) {
  return methodNotAllowed(getDb(), request, "write", "POST");
}
