import { after } from "next/server";
import { getDb } from "../../db/index.ts";
import type { Json } from "../../db/types.ts";
import { type AccessAction, recordAccess } from "./access.ts";
import { requestContext } from "./request-context.ts";

/**
 * Notes an access to the conversation once the response has been sent (next/server `after`), so
 * the page, file or stream is not held up by the write; a failed write is logged, never shown to
 * the viewer. Call it only after the viewer's access to the conversation has been checked. Outside
 * a request (a test calling a handler directly) the write starts at once, still not awaited.
 */
export async function noteAccess(
  viewer: { id: string },
  conversationId: string,
  action: AccessAction,
  detail?: Record<string, Json>,
): Promise<void> {
  const context = await requestContext(); // headers() can't be read inside after()
  const write = async () => {
    try {
      await recordAccess(getDb(), { userId: viewer.id, conversationId, action, detail, context });
    } catch (error) {
      console.error("Could not record an access to a conversation:", error);
    }
  };
  try {
    after(write);
  } catch {
    void write();
  }
}
