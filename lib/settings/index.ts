import type { Kysely } from "kysely";
import { cache } from "react";
import { z } from "zod";
import type { DB } from "../../db/types.ts";
import { type Actor, type RequestContext, recordAudit } from "../audit/index.ts";

// Admin settings: one row per key in `settings`, validated by one schema. Defaults apply to keys
// never saved, so a new setting needs no data migration.
export const settingsSchema = z.object({
  obscure_customer_info: z.boolean(),
  /** Off: agents' export and download controls are inactive and the server refuses them. */
  agent_exports_enabled: z.boolean(),
  recording_retention_days: z
    .number({ error: "Enter a number of days" })
    .int("Enter a whole number of days")
    .min(1, "Keep recordings for at least 1 day")
    .max(3650, "Keep recordings for at most 3650 days (10 years)"),
  time_display_format: z.enum(["timestamp", "duration"]),
  recording_deletion_emails: z.object({
    enabled: z.boolean(),
    recipients: z
      .array(z.email({ error: (issue) => `“${String(issue.input)}” is not an e-mail address` }))
      .max(20, "At most 20 recipients"),
  }),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;

export const defaultSettings: Settings = {
  obscure_customer_info: false,
  agent_exports_enabled: true,
  recording_retention_days: 90,
  time_display_format: "timestamp",
  recording_deletion_emails: { enabled: false, recipients: [] },
};

const keys = Object.keys(defaultSettings) as SettingKey[];

/**
 * Current settings; a stored value that no longer validates falls back to its default.
 *
 * Read once per server render and database handle (React `cache`): the list, the Insights panel,
 * the export switch and the masking rule of one page all share one query instead of each reading
 * the table again. Outside a render (the worker, route handlers, actions, tests) it is a plain read,
 * and nothing outlives the request, so a change shows on the next request in every process.
 */
export const readSettings: (db: Kysely<DB>) => Promise<Settings> = cache(loadSettings);

async function loadSettings(db: Kysely<DB>): Promise<Readonly<Settings>> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).where("key", "in", keys).execute();
  const settings: Settings = structuredClone(defaultSettings);
  for (const row of rows) {
    const key = row.key as SettingKey;
    const parsed = settingsSchema.shape[key].safeParse(row.value);
    if (parsed.success) (settings as Record<SettingKey, unknown>)[key] = parsed.data;
  }
  return settings;
}

export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/**
 * Validates and saves the changed keys in one transaction, with one audit row per change
 * (from → to). Returns the keys that actually changed.
 */
export async function updateSettings(
  db: Kysely<DB>,
  actor: Actor,
  patch: unknown,
  context: RequestContext = {},
): Promise<SettingKey[]> {
  const valid = settingsPatchSchema.parse(patch);
  return db.transaction().execute(async (trx) => {
    const current = await readSettings(trx);
    const changed: SettingKey[] = [];
    for (const key of Object.keys(valid) as SettingKey[]) {
      const next = valid[key];
      if (next === undefined || JSON.stringify(next) === JSON.stringify(current[key])) continue;
      await trx
        .insertInto("settings")
        .values({ key, value: JSON.stringify(next), updated_by: actor.kind === "user" ? actor.id : null })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet((eb) => ({
            value: eb.ref("excluded.value"),
            updated_by: eb.ref("excluded.updated_by"),
            updated_at: new Date(),
          })),
        )
        .execute();
      await recordAudit(trx, {
        actor,
        action: "settings.update",
        target: { type: "setting", id: key },
        detail: { from: current[key], to: next },
        context,
      });
      changed.push(key);
    }
    return changed;
  });
}
