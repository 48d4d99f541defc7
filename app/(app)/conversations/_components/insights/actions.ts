"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { defineAction } from "@/lib/auth/action";
import { CONVERSATION_NOT_AVAILABLE, getTranscriptPage } from "@/lib/conversations/detail";
import { editDisposition } from "@/lib/conversations/disposition";
import { int4Index } from "@/lib/db-ranges";
import { parseSearch } from "@/lib/search/index";
import { MAX_SEARCH_LENGTH } from "@/lib/search/phrase";

/** The next transcript page ("Show more"): a read, so the open page is not refreshed after it. */
export const loadTranscriptPageAction = defineAction(
  {
    input: z.object({
      conversationId: z.string().max(100),
      afterSeq: int4Index,
      /** The search the panel was opened from, to mark its matches. */
      q: z.string().max(MAX_SEARCH_LENGTH).optional(),
    }),
    permission: "conversations:read",
    // Scoped and masked by the loader, exactly like the panel's first page.
    handler: async (input, { db, viewer }) => {
      const search = input.q ? await parseSearch(db, input.q) : null;
      const page = await getTranscriptPage(db, viewer, input.conversationId, input.afterSeq, {
        search: search?.ok ? search.tsquery : undefined,
      });
      if (!page) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
      return page;
    },
  },
  { refreshPage: false },
);

/** Edit Disposition → Save, on a completed conversation (supervisors and admins). */
export const editDispositionAction = defineAction({
  input: z.object({
    conversationId: z.uuid("Choose a conversation"),
    dispositionId: z.uuid("Choose a disposition."),
    note: z
      .string()
      .trim()
      .max(5000, "Keep the note under 5,000 characters.")
      .optional()
      .transform((note) => note || null),
  }),
  permission: "dispositions:edit",
  handler: async (input, { db, viewer, actor, context }) =>
    editDisposition(db, { viewer, actor, context }, input),
});
