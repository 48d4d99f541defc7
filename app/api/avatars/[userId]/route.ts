import { z } from "zod";
import { defineRoute } from "@/lib/auth/route";
import { getBlobStore } from "@/lib/storage";
import { readAvatar } from "@/lib/users/avatar";

// Pictures of colleagues are visible to any signed-in user. URLs carry ?v=<avatar_updated_at>, so a
// response never changes and browsers may keep it.
export const GET = defineRoute({
  permission: "signed-in",
  params: z.object({ userId: z.uuid() }),
  async handler(request, { params, db }) {
    const size = new URL(request.url).searchParams.get("size") === "128" ? 128 : 64;
    const image = await readAvatar(db, getBlobStore(), params.userId, size);
    if (!image) return new Response(null, { status: 404 });
    return new Response(new Uint8Array(image), {
      headers: { "content-type": "image/webp", "cache-control": "private, max-age=31536000, immutable" },
    });
  },
});
