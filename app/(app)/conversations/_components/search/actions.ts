"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { MAX_SEARCH_LENGTH } from "@/lib/search/phrase";
import { listRecentSearches, recordRecentSearch } from "@/lib/search/recent";

/**
 * A search was run from the search field: its phrase becomes the viewer's most recent one. Returns
 * the updated list for the dropdown; the page itself is not refreshed (the search navigates).
 */
export const recordSearchAction = defineAction(
  {
    input: z.object({ phrase: z.string().trim().min(1).max(MAX_SEARCH_LENGTH) }),
    permission: "conversations:read",
    handler: async (input, { db, viewer }) => {
      await recordRecentSearch(db, viewer.id, input.phrase);
      return listRecentSearches(db, viewer.id);
    },
  },
  { refreshPage: false },
);
