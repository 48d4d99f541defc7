// The confirmations the filter panel shows (the spec: "a confirmation message appears" after each
// operation), in one place so the UI and its end-to-end spec agree.
export const FILTER_MESSAGES = {
  applied: "Filter applied",
  cleared: "Filters cleared",
  created: "Filter created",
  updated: "Filter updated",
  duplicated: "Filter duplicated",
  markedDefault: "Filter set as default",
  unmarkedDefault: "Default filter removed",
  deleted: "Filter deleted",
} as const;
