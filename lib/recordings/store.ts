/** The in-flight attempt's columns (fetch.ts), cleared together with its outcome or the deletion. */
export const NO_ATTEMPT = {
  attempt_kind: null,
  attempt_state_before: null,
  attempt_id: null,
  attempt_lease_until: null,
} as const;
