// npm run apikey -- create <name> --scope write,read | list | revoke <id or prefix>
import { parseArgs } from "node:util";
import { createDb } from "../db/client.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { openDatabaseServer } from "../db/server.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../lib/api-keys/index.ts";
import { systemActor } from "../lib/audit/index.ts";
import { readEnv } from "../lib/config/env.ts";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { scope: { type: "string", default: "read" } },
});
const [command, arg] = positionals;
const usage = "usage: npm run apikey -- create <name> [--scope write,read] | list | revoke <id|prefix>";
const context = { userAgent: "parley-cli" };

const server = await openDatabaseServer(readEnv());
const db = createDb(server.url, { max: 2 });
try {
  await migrateToLatest(db);
  if (command === "create" && arg) {
    const key = await createApiKey(db, systemActor, { name: arg, scopes: values.scope.split(",") }, context);
    console.log(
      `Created API key "${arg}" (${key.prefix}). Copy it now; it is not shown again:\n${key.token}`,
    );
  } else if (command === "list") {
    for (const k of await listApiKeys(db)) {
      const state = k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : "active";
      const used = k.last_used_at ? k.last_used_at.toISOString() : "never";
      console.log(`${k.id}  ${k.prefix}  ${k.name}  [${k.scopes.join(",")}]  ${state}  last used ${used}`);
    }
  } else if (command === "revoke" && arg) {
    const key = (await listApiKeys(db)).find((k) => k.id === arg || k.prefix === arg);
    if (!key || !(await revokeApiKey(db, systemActor, key.id, context))) {
      console.error(`No active API key ${arg}`);
      process.exitCode = 1;
    } else console.log(`Revoked ${key.prefix} (${key.name})`);
  } else {
    console.error(usage);
    process.exitCode = 2;
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await db.destroy();
  await server.stop();
}
