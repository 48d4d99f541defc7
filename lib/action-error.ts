/**
 * A refusal meant for the user: the server-action wrapper (lib/auth/action.ts) shows its message as
 * is. Domain functions throw it for rules a request can break ("You cannot change your own role");
 * any other error is a bug and is logged, never shown.
 */
export class ActionError extends Error {
  override name = "ActionError";
}
