"use server";

import { z } from "zod";
import { ActionError } from "@/lib/action-error";
import { defineAction } from "@/lib/auth/action";
import { CONVERSATION_NOT_AVAILABLE } from "@/lib/conversations/detail";
import { previewEvents } from "@/lib/exports/events";
import { CONVERSATION_EXPORT_KINDS, exportSelectionSchema, SELECTION_LIMIT } from "@/lib/exports/kinds";
import {
  EXPORT_NOT_FOUND,
  exportOptions,
  getExport,
  requestExport,
  retryExport,
} from "@/lib/exports/requests";
import { getBoss } from "@/lib/jobs/instance";

// The Export menu, the events preview and the Exports page. Starting an export only records it and
// its job; the worker builds the file and the browser downloads it when told over /api/live.

export const startExportAction = defineAction(
  {
    input: z.object({ kind: z.enum(CONVERSATION_EXPORT_KINDS), selection: exportSelectionSchema }),
    permission: "conversations:export",
    handler: async (input, { db, viewer, context }) =>
      requestExport(db, await getBoss(), viewer, input, context),
  },
  { refreshPage: false },
);

export const retryExportAction = defineAction({
  input: z.object({ id: z.uuid() }),
  permission: "conversations:export",
  handler: async ({ id }, { db, viewer, context }) => retryExport(db, await getBoss(), viewer, id, context),
});

/** Where one of the viewer's exports stands: the browser asks once its live stream is open, in case it missed the news. */
export const exportStatusAction = defineAction(
  {
    input: z.object({ id: z.uuid() }),
    permission: "conversations:export",
    handler: async ({ id }, { db, viewer }) => {
      const found = await getExport(db, viewer, id);
      if (!found) throw new ActionError(EXPORT_NOT_FOUND);
      return { id: found.id, status: found.status, fileName: found.fileName, error: found.error };
    },
  },
  { refreshPage: false },
);

/** Which Export menu items the picked rows allow (latency report parameters, the 30-day events rule). */
export const exportOptionsAction = defineAction(
  {
    input: z.object({ ids: z.array(z.uuid()).min(1).max(SELECTION_LIMIT) }),
    permission: "conversations:export",
    handler: async ({ ids }, { db, viewer }) => exportOptions(db, viewer, [...new Set(ids)]),
  },
  { refreshPage: false },
);

/** Preview Events: the timeline of one conversation the viewer may see. */
export const previewEventsAction = defineAction(
  {
    input: z.object({ id: z.uuid() }),
    permission: "conversations:read",
    handler: async ({ id }, { db, viewer }) => {
      const preview = await previewEvents(db, viewer, id);
      if (!preview) throw new ActionError(CONVERSATION_NOT_AVAILABLE);
      return preview;
    },
  },
  { refreshPage: false },
);
