import { readEnv } from "../config/env.ts";

// Only for `next dev` and tests; a production server without AUTH_SECRET refuses to issue sessions.
const DEVELOPMENT_SECRET = "parley-development-secret-do-not-use-in-production";

/** The key sessions are encrypted with (npm start always provides AUTH_SECRET). */
export function authSecret(env = readEnv()): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV !== "production") return DEVELOPMENT_SECRET;
  throw new Error("AUTH_SECRET is not set: sessions cannot be issued or read");
}
