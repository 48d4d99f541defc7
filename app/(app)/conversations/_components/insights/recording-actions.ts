"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { recordAccess } from "@/lib/audit/access";
import { defineAction } from "@/lib/auth/action";
import { getBoss } from "@/lib/jobs/instance";
import { getRecordingForViewer, isPlayable, RECORDING_NOT_AVAILABLE } from "@/lib/recordings/queries";
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

/**
 * The player started: noted in the conversation's access log (once per user per few minutes). The
 * player calls it without waiting; playback never depends on it.
 */
export const recordPlaybackAction = defineAction(
  {
    input: z.object({ conversationId: z.uuid() }),
    permission: "recordings:read",
    handler: async ({ conversationId }, { db, viewer, context }) => {
      const recording = await getRecordingForViewer(db, viewer, conversationId);
      if (!recording || !isPlayable(recording)) throw new ActionError(RECORDING_NOT_AVAILABLE);
      return {
        recorded: await recordAccess(db, {
          userId: viewer.id,
          conversationId,
          action: "recording.play",
          context,
        }),
      };
    },
  },
  { refreshPage: false },
);
