import type { Transaction } from "kysely";
import { fromKysely, type JobOptions, type PgBoss } from "pg-boss";
import type { DB } from "../../db/types.ts";
import { currentRequestId, JOB_REQUEST_ID } from "../observability/request-id.ts";
import type { JobDefinition, JobPayload } from "./define.ts";

/**
 * Validates the payload against the job's schema and sends it (with the current request's id). With `trx`, the job row is written
 * in that Kysely transaction and disappears if it rolls back (request row + job in one commit).
 */
export async function enqueue<D extends JobDefinition>(
  boss: PgBoss,
  def: D,
  payload: JobPayload<D>,
  opts: JobOptions & { trx?: Transaction<DB> } = {},
): Promise<string | null> {
  const { trx, ...jobOptions } = opts;
  const data = def.schema.parse(payload) as object;
  // The enqueuing request's id rides along, so the worker's log lines for this job carry it too.
  const requestId = currentRequestId();
  if (requestId) Object.assign(data, { [JOB_REQUEST_ID]: requestId });
  return boss.send(def.name, data, { ...jobOptions, ...(trx ? { db: fromKysely(trx) } : {}) });
}
