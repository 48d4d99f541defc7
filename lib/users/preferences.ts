import type { Database } from "../../db/client.ts";
import { isTimeZone } from "../time/format.ts";

// A user's own display preferences (time zone, Conversations columns and density). Each function
// touches only the row of the id it is given: callers pass the viewer's id from the session.

/** Stores the zone detected by the browser at sign-in, unless the user already has one. */
export async function adoptTimeZone(db: Database, userId: string, timeZone: string): Promise<void> {
  if (!isTimeZone(timeZone)) return;
  await db
    .updateTable("users")
    .set({ time_zone: timeZone })
    .where("id", "=", userId)
    .where("time_zone", "is", null)
    .execute();
}

/** The user's choice in the user menu. */
export async function setTimeZone(db: Database, userId: string, timeZone: string): Promise<void> {
  if (!isTimeZone(timeZone)) throw new Error(`Unknown time zone ${timeZone}`);
  await db.updateTable("users").set({ time_zone: timeZone }).where("id", "=", userId).execute();
}

export async function setListView(
  db: Database,
  userId: string,
  view: { columns?: string[] | null; density?: "compact" | "comfortable" },
): Promise<void> {
  if (view.columns === undefined && view.density === undefined) return;
  await db
    .updateTable("users")
    .set({
      ...(view.columns !== undefined && { list_columns: view.columns }),
      ...(view.density !== undefined && { list_density: view.density }),
    })
    .where("id", "=", userId)
    .execute();
}
