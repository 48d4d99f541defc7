import { z } from "zod";
import { getDb } from "@/db/index";
import { getViewer } from "@/lib/auth/viewer";
import { BlobStore } from "@/lib/storage/blobs";
import { readAvatar } from "@/lib/users/avatar";

// Pictures of colleagues are visible to any signed-in user. URLs carry ?v=<avatar_updated_at>, so a
// response never changes and browsers may keep it.
export async function GET(request: Request, { params }: { params: Promise<{ userId: string }> }) {
  if (!(await getViewer())) return new Response(null, { status: 401 });
  const userId = z.uuid().safeParse((await params).userId);
  if (!userId.success) return new Response(null, { status: 404 });
  const size = new URL(request.url).searchParams.get("size") === "128" ? 128 : 64;
  const image = await readAvatar(getDb(), new BlobStore(), userId.data, size);
  if (!image) return new Response(null, { status: 404 });
  return new Response(new Uint8Array(image), {
    headers: { "content-type": "image/webp", "cache-control": "private, max-age=31536000, immutable" },
  });
}
