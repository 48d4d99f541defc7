import { getDb } from "@/db/index";
import { methodNotAllowed } from "@/lib/api/handlers";
import { postCapture } from "@/lib/api/uploads";
import { getBoss } from "@/lib/jobs/instance";
import { getBlobStore } from "@/lib/storage";

// A SIP capture (pcap/pcapng); the worker parses it. API key with the write scope; `id` is the session id (or the conversation's uuid).
export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return postCapture(getDb(), request, (await params).id, { blobs: getBlobStore(), boss: getBoss });
}

export function GET(request: Request) {
  return methodNotAllowed(getDb(), request, "write", "POST");
}
