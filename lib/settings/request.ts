import { getDb } from "../../db/index.ts";
import { readSettings } from "./index.ts";

/** The settings for this request (readSettings on the app's database: one read per render). */
export const getSettings = () => readSettings(getDb());
