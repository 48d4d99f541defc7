"use server";

import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/index";
import { type ActionDefinition, runAction } from "@/lib/auth/action";
import { ActionError } from "@/lib/auth/action-error";
import { requestContext } from "@/lib/auth/request-context";
import { getViewer } from "@/lib/auth/viewer";
import {
  CONVERSATION_NOT_AVAILABLE,
  getTranscriptPage,
  type TranscriptPage,
} from "@/lib/conversations/detail";

const loadTranscriptPage = {
  input: z.object({
    conversationId: z.string().max(100),
    afterSeq: z.number().int().min(0),
  }),
  permission: "conversations:read",
  // Scoped and masked by the loader, exactly like the panel's first page.
  handler: async (input, { db, viewer }) => {
    const page = await getTranscriptPage(db, viewer, input.conversationId, input.afterSeq);
    if (!page) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
    return page;
  },
} satisfies ActionDefinition<z.ZodType<{ conversationId: string; afterSeq: number }>, TranscriptPage>;

/**
 * The next transcript page ("Show more"). Through the one action wrapper's runAction, but not
 * defineAction: that one refreshes the page after every success, which for a read would reload the
 * list and the panel for nothing.
 */
export async function loadTranscriptPageAction(input: { conversationId: string; afterSeq: number }) {
  return runAction(loadTranscriptPage, input, {
    getViewer,
    getDb,
    requestContext,
    rethrow: unstable_rethrow,
  });
}
