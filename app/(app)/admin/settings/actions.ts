"use server";

import { z } from "zod";
import { defineAction, formBoolean } from "@/lib/auth/action";
import { previewDeletions } from "@/lib/recordings/retention";
import { settingsSchema, updateSettings } from "@/lib/settings/index";

// The settings form's fields, checked with the settings' own rules so messages land next to fields.
const emails = settingsSchema.shape.recording_deletion_emails.shape;
const settingsForm = z
  .object({
    obscure_customer_info: formBoolean(),
    agent_exports_enabled: formBoolean(),
    recording_retention_days: z.coerce
      .number({ error: "Enter a number of days" })
      .pipe(settingsSchema.shape.recording_retention_days),
    time_display_format: settingsSchema.shape.time_display_format,
    recording_deletion_emails_enabled: formBoolean(),
    // Comma-, semicolon- or newline-separated addresses.
    recording_deletion_recipients: z
      .string()
      .optional()
      .transform((text) => (text ?? "").split(/[\s,;]+/).filter(Boolean))
      .pipe(emails.recipients),
  })
  .refine(
    (form) => !form.recording_deletion_emails_enabled || form.recording_deletion_recipients.length > 0,
    {
      path: ["recording_deletion_recipients"],
      message: "Add at least one recipient, or turn these e-mails off",
    },
  );

export const updateSettingsAction = defineAction({
  input: settingsForm,
  permission: "settings:manage",
  handler: async (form, { db, actor, context }) => {
    const changed = await updateSettings(
      db,
      actor,
      {
        obscure_customer_info: form.obscure_customer_info,
        agent_exports_enabled: form.agent_exports_enabled,
        recording_retention_days: form.recording_retention_days,
        time_display_format: form.time_display_format,
        recording_deletion_emails: {
          enabled: form.recording_deletion_emails_enabled,
          recipients: form.recording_deletion_recipients,
        },
      },
      context,
    );
    return { changed };
  },
});

/**
 * What a retention period would delete in the next 30 days, by date, before it is saved: the
 * settings form asks as the admin types a period. Reads only; nothing changes until Save.
 */
export const previewRetentionAction = defineAction(
  {
    input: z.object({ days: settingsSchema.shape.recording_retention_days }),
    permission: "settings:manage",
    handler: async ({ days }, { db }) => previewDeletions(db, days, new Date()),
  },
  { refreshPage: false },
);
