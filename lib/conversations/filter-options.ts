import type { Database } from "../../db/client.ts";

export type FilterOptions = { queues: string[]; agents: { email: string; name: string }[] };

/**
 * The choices of the filter panel's Queues and Agents lists (filters name queues and users by name
 * and e-mail, so links and the API read well). Every user is offered as an agent, deactivated ones
 * too (their past conversations stay findable); the list's scope still decides what a viewer gets.
 */
export async function listFilterOptions(db: Database): Promise<FilterOptions> {
  const [queues, agents] = await Promise.all([
    db.selectFrom("queues").select("name").orderBy("name").execute(),
    db.selectFrom("users").select(["email", "name"]).orderBy("name").orderBy("email").execute(),
  ]);
  return { queues: queues.map((q) => q.name), agents };
}
