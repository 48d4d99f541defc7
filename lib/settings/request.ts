import { cache } from "react";
import { getDb } from "../../db/index.ts";
import { readSettings } from "./index.ts";

/**
 * The settings for this request. Read once per request (React cache) and never kept longer, so a
 * change takes effect on the next request in every web process.
 */
export const getSettings = cache(() => readSettings(getDb()));
