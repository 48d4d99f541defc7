"use client";

import { useId, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { DeletionDay } from "@/lib/recordings/retention";
import type { Settings } from "@/lib/settings/index";
import { updateSettingsAction } from "../actions";
import { RetentionPreview } from "./retention-preview";

/** The field's text as a retention period, or null while it is not one (1–3650 whole days). */
function retentionDaysOf(text: string): number | null {
  const n = Number(text);
  return /^\d+$/.test(text.trim()) && n >= 1 && n <= 3650 ? n : null;
}

const TIME_FORMATS = [
  {
    value: "timestamp",
    label: "Standard Timestamps",
    hint: "Exact date and time, for precise tracking (e.g. Fri Jun 14 2026, 4:52:31 PM).",
  },
  {
    value: "duration",
    label: "Duration Markers",
    hint: "Elapsed time, for quick navigation (e.g. 00:01).",
  },
] as const;

const sectionClass =
  "grid gap-3 border-b border-border p-5 last:border-b-0 md:grid-cols-[16rem_1fr] md:gap-8";
const hintClass = "text-sm text-muted-foreground";
const checkboxClass = "mt-0.5 size-4 shrink-0 accent-primary disabled:cursor-not-allowed";

/** All admin settings in one form; the server saves only what changed, with an audit row each. */
export function SettingsForm({
  settings,
  disabled,
  retentionPreview,
}: {
  settings: Settings;
  disabled: boolean;
  /** What the saved retention period deletes in the next 30 days. */
  retentionPreview: DeletionDay[];
}) {
  const { state, pending, formProps, field, errorFor } = useActionForm(updateSettingsAction);
  const [retentionDays, setRetentionDays] = useState<number | null>(settings.recording_retention_days);
  const id = useId();
  const hint = (name: string) => `${id}-${name}-hint`;
  return (
    <form {...formProps} className="rounded-lg border border-border bg-background shadow-xs" noValidate>
      <fieldset disabled={disabled} className="contents">
        <div className={sectionClass}>
          <h3 className="font-medium">Privacy</h3>
          <div className="grid gap-1.5">
            <div className="flex items-start gap-2">
              <input
                type="checkbox"
                id={`${id}-obscure`}
                className={checkboxClass}
                defaultChecked={settings.obscure_customer_info}
                {...field("obscure_customer_info", hint("obscure"))}
              />
              <Label htmlFor={`${id}-obscure`}>Obscure customer info</Label>
            </div>
            <p id={hint("obscure")} className={`${hintClass} pl-6`}>
              Hides customer e-mail IDs and phone numbers in Conversations, the details panel and exports, and
              shows the internal User ID instead.
            </p>
            {errorFor("obscure_customer_info")}
          </div>
        </div>

        <div className={sectionClass}>
          <h3 className="font-medium">Exports and downloads</h3>
          <div className="grid gap-1.5">
            <div className="flex items-start gap-2">
              <input
                type="checkbox"
                id={`${id}-agent-exports`}
                className={checkboxClass}
                defaultChecked={settings.agent_exports_enabled}
                {...field("agent_exports_enabled", hint("agent-exports"))}
              />
              <Label htmlFor={`${id}-agent-exports`}>Agents can export and download conversations</Label>
            </div>
            <p id={hint("agent-exports")} className={`${hintClass} pl-6`}>
              When off, agents see the export and download buttons inactive, with the access restriction
              message on hover. Supervisors and admins can always export what they can see.
            </p>
            {errorFor("agent_exports_enabled")}
          </div>
        </div>

        <div className={sectionClass}>
          <h3 className="font-medium">Data retention</h3>
          <div className="grid max-w-sm gap-1.5">
            <Label htmlFor={`${id}-retention`}>Voice recording retention period (days)</Label>
            <Input
              id={`${id}-retention`}
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              required
              className="w-32"
              defaultValue={settings.recording_retention_days}
              onChange={(e) => setRetentionDays(retentionDaysOf(e.currentTarget.value))}
              {...field("recording_retention_days", hint("retention"))}
            />
            <p id={hint("retention")} className={hintClass}>
              Recordings are permanently deleted when this period ends (1–3650 days).
            </p>
            {errorFor("recording_retention_days")}
            <RetentionPreview
              savedDays={settings.recording_retention_days}
              saved={retentionPreview}
              days={retentionDays}
            />
          </div>
        </div>

        <div className={sectionClass}>
          <h3 className="font-medium" id={`${id}-time-format`}>
            Conversation time display format
          </h3>
          <div role="radiogroup" aria-labelledby={`${id}-time-format`} className="grid gap-3">
            {TIME_FORMATS.map((format) => (
              <div key={format.value} className="flex items-start gap-2">
                <input
                  type="radio"
                  id={`${id}-time-${format.value}`}
                  value={format.value}
                  className={checkboxClass}
                  defaultChecked={settings.time_display_format === format.value}
                  {...field("time_display_format", hint(`time-${format.value}`))}
                />
                <div className="grid gap-1">
                  <Label htmlFor={`${id}-time-${format.value}`}>{format.label}</Label>
                  <p id={hint(`time-${format.value}`)} className={hintClass}>
                    {format.hint}
                  </p>
                </div>
              </div>
            ))}
            {errorFor("time_display_format")}
          </div>
        </div>

        <div className={sectionClass}>
          <h3 className="font-medium">Recording-deletion e-mails</h3>
          <div className="grid max-w-xl gap-3">
            <div className="grid gap-1.5">
              <div className="flex items-start gap-2">
                <input
                  type="checkbox"
                  id={`${id}-emails`}
                  className={checkboxClass}
                  defaultChecked={settings.recording_deletion_emails.enabled}
                  {...field("recording_deletion_emails_enabled", hint("emails"))}
                />
                <Label htmlFor={`${id}-emails`}>Send recording-deletion e-mails</Label>
              </div>
              <p id={hint("emails")} className={`${hintClass} pl-6`}>
                A notice 7 days before recordings are deleted under the retention period, and a confirmation
                after.
              </p>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-recipients`}>Recipients</Label>
              <Textarea
                id={`${id}-recipients`}
                rows={3}
                defaultValue={settings.recording_deletion_emails.recipients.join("\n")}
                {...field("recording_deletion_recipients", hint("recipients"))}
              />
              <p id={hint("recipients")} className={hintClass}>
                E-mail addresses separated by commas or new lines (up to 20).
              </p>
              {errorFor("recording_deletion_recipients")}
            </div>
          </div>
        </div>
      </fieldset>

      <div className="flex items-center gap-4 border-t border-border bg-surface px-5 py-3">
        {disabled ? (
          <DisabledWithReason reason="Access restricted">
            <Button disabled>Save settings</Button>
          </DisabledWithReason>
        ) : (
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? "Saving…" : "Save settings"}
          </Button>
        )}
        <FormMessage state={state} success="Settings saved" />
      </div>
    </form>
  );
}
