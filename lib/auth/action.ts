import { refresh } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { getDb } from "../../db/index.ts";
import { ActionError } from "../action-error.ts";
import type { Actor, RequestContext } from "../audit/index.ts";
import { requestContext } from "../audit/request-context.ts";
import { markRecentWrite } from "../db-read.ts";
import { can, type Permission } from "./permissions.ts";
import { getViewer, type Viewer } from "./viewer.ts";

// The one wrapper every server action goes through (DESIGN: zod input, viewer, declared permission,
// handler, small result). Actions are public HTTP endpoints, so nothing is trusted from the client.

export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string> };

export type ActionContext = { viewer: Viewer; actor: Actor; db: Database; context: RequestContext };

export type ActionDefinition<S extends z.ZodType, T> = {
  input: S;
  permission: Permission;
  handler: (input: z.output<S>, ctx: ActionContext) => Promise<T>;
};

/** What runAction needs from the request; injected so the wrapper's logic is testable without Next. */
export type ActionDeps = {
  getViewer: () => Promise<Viewer | null>;
  getDb: () => Database;
  requestContext: () => Promise<RequestContext>;
  /** Lets framework control flow (redirect(), notFound()) through the catch-all. */
  rethrow?: (error: unknown) => void;
};

export const SIGNED_OUT = "You are signed out. Sign in again to continue.";
export const ACCESS_RESTRICTED = "Access restricted";
export const INVALID_INPUT = "Check the highlighted fields.";
export const SOMETHING_WENT_WRONG = "Something went wrong. Please try again.";

/**
 * Runs one action. The viewer and permission are checked before the input is even parsed: a caller
 * without access learns nothing about the form, and a signed-out user is told so first.
 */
export async function runAction<S extends z.ZodType, T>(
  def: ActionDefinition<S, T>,
  rawInput: unknown,
  deps: ActionDeps,
): Promise<ActionResult<T>> {
  try {
    const viewer = await deps.getViewer();
    if (!viewer) throw new ActionError(SIGNED_OUT);
    if (!can(viewer.role, def.permission)) throw new ActionError(ACCESS_RESTRICTED);
    const parsed = def.input.safeParse(rawInput instanceof FormData ? formDataToObject(rawInput) : rawInput);
    if (!parsed.success) return invalid(parsed.error);
    const data = await def.handler(parsed.data, {
      viewer,
      actor: { kind: "user", id: viewer.id },
      db: deps.getDb(),
      context: await deps.requestContext(),
    });
    return { ok: true, data };
  } catch (error) {
    deps.rethrow?.(error);
    if (error instanceof ActionError) return { ok: false, error: error.message };
    console.error("Server action failed:", error);
    return { ok: false, error: SOMETHING_WENT_WRONG };
  }
}

/** Called as `action(input)`, as a `<form action>` (FormData), or by useActionState `(previous, input)`. */
export type ServerAction<I, T> = {
  (input: I | FormData): Promise<ActionResult<T>>;
  (previous: ActionResult<T> | null, input: I | FormData): Promise<ActionResult<T>>;
};

const requestDeps: ActionDeps = { getViewer, getDb, requestContext, rethrow: unstable_rethrow };

/**
 * Declares a server action: export the result from a "use server" file. The definition rides along
 * (`action.definition`) so the authorization matrix test can check each action's permission.
 * Actions that only read (e.g. "load more") pass `{ refreshPage: false }`.
 */
export function defineAction<S extends z.ZodType, T>(
  def: ActionDefinition<S, T>,
  { refreshPage = true }: { refreshPage?: boolean } = {},
): ServerAction<z.input<S>, T> & { definition: ActionDefinition<S, T> } {
  const action = async (...args: unknown[]) => {
    const result = await runAction(def, args.at(-1), requestDeps);
    // An action that changed something re-renders the open page with the new data, and this
    // user's list and search read from the primary for a moment (lib/db-read.ts).
    if (result.ok && refreshPage) {
      await markRecentWrite();
      refresh();
    }
    return result;
  };
  return Object.assign(action, { definition: def });
}

function invalid(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string> = {};
  let formError: string | undefined;
  for (const issue of error.issues) {
    const field = issue.path[0];
    if (field === undefined) formError ??= issue.message;
    else fieldErrors[String(field)] ??= issue.message;
  }
  return { ok: false, error: formError ?? INVALID_INPUT, fieldErrors };
}

/** Form fields as an object: a name sent once maps to its value, a repeated name to all its values. */
function formDataToObject(form: FormData): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    // React adds $ACTION_… fields of its own to forms bound to server actions.
    if (key.startsWith("$ACTION")) continue;
    const values = form.getAll(key);
    object[key] = values.length === 1 ? values[0] : values;
  }
  return object;
}

/** A checkbox: absent when unchecked, "on" when checked; a boolean or "true"/"false" also work. */
export const formBoolean = () =>
  z
    .union([z.boolean(), z.stringbool()])
    .optional()
    .transform((value) => value === true);

/** A checkbox group or other repeated field as an array, however many values were sent (0, 1 or more). */
export const formList = <S extends z.ZodArray>(schema: S) =>
  z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), schema);
