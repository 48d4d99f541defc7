import { createDb, type Database } from "../../../db/client.ts";
import { e2ePgPort } from "../../../playwright.config.ts";

// The database of the e2e app instance (playwright.config.ts starts it on this port), for reading
// fixtures the specs need (ids) — never for bypassing the UI in what a spec asserts.
export function e2eDb(): Database {
  return createDb(`postgres://parley:parley@127.0.0.1:${e2ePgPort}/parley`, {
    max: 2,
    application: "parley-e2e",
  });
}
