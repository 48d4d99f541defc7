"use server";

import { z } from "zod";
import { defineAction } from "@/lib/auth/action";
import { getBoss } from "@/lib/jobs/instance";
import { requestRecordingRetry, setLegalHold } from "@/lib/recordings/status";

/** Retry a failed recording fetch (spec "Troubleshooting"): scoped, audited, enqueues the fetch. */
export const retryRecordingFetchAction = defineAction({
  input: z.object({ conversationId: z.uuid() }),
  permission: "recordings:read",
  handler: async ({ conversationId }, { db, viewer, actor, context }) => ({
    state: await requestRecordingRetry(db, await getBoss(), viewer, actor, conversationId, context),
  }),
});

/** Place or release a legal hold: retention never deletes a held recording. */
export const setRecordingLegalHoldAction = defineAction({
  input: z.object({ conversationId: z.uuid(), hold: z.boolean() }),
  permission: "recordings:hold",
  handler: async ({ conversationId, hold }, { db, viewer, actor, context }) => ({
    hold: await setLegalHold(db, viewer, actor, conversationId, hold, context),
  }),
});
