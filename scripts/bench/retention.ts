// npm run bench -- retention [--recordings 200000] [--due 2000] [--pg-port 54397] [--keep]
// Recording housekeeping on a scratch embedded PostgreSQL under /tmp (never your data): the fetch
// dispatcher's due query (every minute) and the retention pass (hourly) over a table of mostly
// settled recordings, with `--due` of them inside the warning window and then past deletion.
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { applyRetention, DAY_MS, WARNING_LEAD_MS } from "../../lib/recordings/retention.ts";
import { listDueRecordings } from "../../lib/recordings/schedule.ts";
import { openBlobStoreAt } from "../../lib/storage/index.ts";
import { openScratchDatabase } from "./dataset.ts";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    recordings: { type: "string", default: "200000" },
    due: { type: "string", default: "2000" },
    "pg-port": { type: "string", default: "54397" },
    keep: { type: "boolean", default: false },
  },
  strict: true,
});
const total = Number(args.recordings);
const due = Number(args.due);

const scratch = await openScratchDatabase({
  name: "retention",
  pgPort: Number(args["pg-port"]),
  keep: args.keep,
  max: 2,
});
const { db, dir } = scratch;
const ms = async <T>(run: () => Promise<T>): Promise<[number, T]> => {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
};
try {
  const now = new Date(Date.UTC(2026, 10, 25, 12));
  const days = 90;
  // Calls spread over the retention period; the oldest `due` ones fall inside the warning window.
  // 1 in 200 is still being fetched (has a next attempt), the rest settled.
  const span = (days - 8) * DAY_MS;
  await sql`
    insert into conversations (session_id, direction, language, channel, status, started_at, ended_at)
    select 'bench-' || i, 'inbound', 'en-US', 'voice', 'completed',
      ${now}::timestamptz - (case when i <= ${due} then ${(days - 3) * DAY_MS} else (i::float8 / ${total}) * ${span} end) * interval '1 millisecond' - interval '5 minutes',
      ${now}::timestamptz - (case when i <= ${due} then ${(days - 3) * DAY_MS} else (i::float8 / ${total}) * ${span} end) * interval '1 millisecond'
    from generate_series(1, ${total}) i`.execute(db);
  await sql`
    insert into recordings (conversation_id, state, next_attempt_at)
    select id, case when random() < 0.005 then 'initial_fetch_failed'::recording_state else 'available' end, null
    from conversations`.execute(db);
  await sql`update recordings set next_attempt_at = ${now}::timestamptz + interval '30 minutes' where state = 'initial_fetch_failed'`.execute(
    db,
  );
  await sql`analyze`.execute(db);
  console.log(
    `${total.toLocaleString("en-US")} recordings, ${due} inside the warning window, retention ${days} days`,
  );

  const [dispatchMs, dueRows] = await ms(() => listDueRecordings(db, new Date(now.getTime() + 60 * 60_000)));
  console.log(`dispatcher due query: ${dispatchMs.toFixed(1)} ms (${dueRows.length} due within the hour)`);
  const blobs = openBlobStoreAt(path.join(dir, "blobs"));
  const settings = {
    recording_retention_days: days,
    recording_deletion_emails: { enabled: true, recipients: ["dpo@bench.test"] },
  };
  const [warnMs, warned] = await ms(() => applyRetention(db, blobs, settings, now));
  console.log(`retention pass, warning ${warned.warned}: ${warnMs.toFixed(0)} ms`);
  const [idleMs] = await ms(() => applyRetention(db, blobs, settings, new Date(now.getTime() + 60 * 60_000)));
  console.log(`retention pass, nothing to do: ${idleMs.toFixed(0)} ms`);
  const [deleteMs, deleted] = await ms(() =>
    applyRetention(db, blobs, settings, new Date(now.getTime() + WARNING_LEAD_MS)),
  );
  console.log(
    `retention pass, deleting ${deleted.deleted} (audited, notices queued): ${deleteMs.toFixed(0)} ms`,
  );
} finally {
  await scratch.close();
}
