"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { ActionError } from "@/lib/auth/action-error";
import { CONVERSATION_NOT_AVAILABLE, getTranscriptPage } from "@/lib/conversations/detail";

/** The next transcript page ("Show more"): a read, so the open page is not refreshed after it. */
export const loadTranscriptPageAction = defineAction(
  {
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
  },
  { refreshPage: false },
);
