"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { listViewSchema } from "@/lib/conversations/list-columns";
import { isTimeZone } from "@/lib/time/format";
import { setListView, setTimeZone } from "@/lib/users/preferences";

// The viewer's own display preferences: each action writes only the viewer's row (the id comes
// from the session, never from the input).

export const setTimeZoneAction = defineAction({
  input: z.object({
    timeZone: z.string().refine(isTimeZone, { error: "Choose a time zone from the list" }),
  }),
  permission: "conversations:read",
  handler: async ({ timeZone }, { db, viewer }) => {
    await setTimeZone(db, viewer.id, timeZone);
    return { timeZone };
  },
});

/** The Conversations table's column chooser and density switch. */
export const setListViewAction = defineAction({
  input: listViewSchema,
  permission: "conversations:read",
  handler: async (view, { db, viewer }) => {
    await setListView(db, viewer.id, view);
    return view;
  },
});
