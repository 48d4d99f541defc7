"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { defineAction } from "@/lib/auth/action";
import { CONVERSATION_NOT_AVAILABLE } from "@/lib/conversations/detail";
import { listConversations } from "@/lib/conversations/list";

/**
 * The identifiers a row's ⋮ menu copies, read when the menu opens rather than sent with every row of
 * every list page (issue #16). Scoped and masked like the row itself: it is the list's own query.
 */
export const rowIdentifiersAction = defineAction(
  {
    input: z.object({ conversationId: z.uuid() }),
    permission: "conversations:read",
    handler: async ({ conversationId }, { db, viewer }) => {
      const { items } = await listConversations(db, viewer, { conversationIds: [conversationId], limit: 1 });
      const c = items[0];
      if (!c) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
      return {
        userRef: c.customer.userRef,
        sessionId: c.sessionId,
        callConversationId: c.callConversationId,
        agentConversationId: c.agentConversationId,
        externalCallId: c.externalCallId,
      };
    },
  },
  { refreshPage: false },
);
