// Supervisor-action wording the browser shows too (the list's ⋮ menu), kept apart from actions.ts,
// which imports the database and may not enter a client bundle.
export const NOT_ONGOING =
  "This conversation has ended. Only ongoing conversations accept supervisor actions.";
