"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { recordAudit } from "@/lib/audit";
import { defineAction } from "@/lib/auth/action";
import { exportAllowed } from "@/lib/auth/export-access";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import { getBoss } from "@/lib/jobs/instance";
import { artifactStatuses, artifactVariant, requestArtifacts } from "@/lib/recordings/artifacts";
import { getRecordingForViewer, isPlayable, RECORDING_NOT_AVAILABLE } from "@/lib/recordings/queries";

const filesInput = z.object({
  conversationId: z.uuid(),
  variants: z.array(artifactVariant).min(1).max(33),
});

/**
 * "Download as a single file" (`merged`) or "Download as separate files" (`leg-N` each): creates the
 * FLAC files the worker builds (once per legs content) and returns their progress. Audited: a
 * recording leaving Parley is worth a trace.
 */
export const requestRecordingFilesAction = defineAction(
  {
    input: filesInput,
    permission: "recordings:read",
    handler: async ({ conversationId, variants }, { db, viewer, actor, context }) => {
      if (!(await exportAllowed(db, viewer))) throw new ActionError(EXPORT_RESTRICTED);
      const recording = await getRecordingForViewer(db, viewer, conversationId);
      if (!recording || !isPlayable(recording)) throw new ActionError(RECORDING_NOT_AVAILABLE);
      const files = await requestArtifacts(db, await getBoss(), recording, variants);
      await recordAudit(db, {
        actor,
        action: "recording.download",
        target: { type: "conversation", id: conversationId },
        detail: { variants },
        context,
      });
      return files;
    },
  },
  { refreshPage: false },
);

/** Progress of requested files (the menu polls it while the worker builds them; a dead build is queued again). */
export const recordingFilesStatusAction = defineAction(
  {
    input: filesInput,
    permission: "recordings:read",
    handler: async ({ conversationId, variants }, { db, viewer }) => {
      const recording = await getRecordingForViewer(db, viewer, conversationId);
      if (!recording) throw new ActionError(RECORDING_NOT_AVAILABLE);
      return artifactStatuses(db, await getBoss(), recording, variants);
    },
  },
  { refreshPage: false },
);
