"use server";

import { z } from "zod";
import { defineAction, formBoolean } from "@/lib/auth/action";
import { bigintIdText } from "@/lib/db-ranges";
import { getInbox, markRead, setDispositionEmails } from "@/lib/notifications/index";

// The notification center in the header. Every role has one; each action touches only the
// viewer's own rows (the user id comes from the session, never from the input).

/** Reloads the bell after the live feed says something arrived: a read, so no page refresh. */
export const loadNotificationsAction = defineAction(
  {
    input: z.object({}),
    permission: "conversations:read",
    handler: (_, { db, viewer }) => getInbox(db, viewer.id),
  },
  { refreshPage: false },
);

export const markNotificationsReadAction = defineAction(
  {
    input: z.object({
      ids: z.array(bigintIdText).max(100).optional(),
    }),
    permission: "conversations:read",
    handler: async ({ ids }, { db, viewer }) => {
      await markRead(db, viewer.id, ids);
      return getInbox(db, viewer.id);
    },
  },
  { refreshPage: false },
);

export const setDispositionEmailsAction = defineAction(
  {
    input: z.object({ enabled: formBoolean() }),
    permission: "conversations:read",
    handler: async ({ enabled }, { db, viewer }) => {
      await setDispositionEmails(db, viewer.id, enabled);
      return { enabled };
    },
  },
  { refreshPage: false },
);
