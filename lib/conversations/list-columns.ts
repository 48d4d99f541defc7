import { z } from "zod";

// The Conversations table's columns (spec: Conversations → columns). Customer is always shown (the
// sticky first column that opens the conversation); each user picks the others in the column
// chooser, saved on their row (users.list_columns; null: every column).
export const LIST_COLUMNS = [
  { id: "actions", label: "Actions" },
  { id: "support", label: "Support" },
  { id: "start", label: "Start Time" },
  { id: "duration", label: "Duration" },
  { id: "e2e_p90", label: "E2E p90" },
  { id: "agents", label: "Agents" },
  { id: "queues", label: "Queues" },
  { id: "skills", label: "Skills" },
  { id: "status", label: "Status" },
  { id: "csat", label: "CSAT" },
  { id: "nps", label: "NPS" },
  { id: "like", label: "Like/Dislike" },
] as const;

export type ListColumn = (typeof LIST_COLUMNS)[number]["id"];
export const LIST_COLUMN_IDS = LIST_COLUMNS.map((c) => c.id) as [ListColumn, ...ListColumn[]];

export const listViewSchema = z.object({
  columns: z.array(z.enum(LIST_COLUMN_IDS)).max(LIST_COLUMN_IDS.length).optional(),
  density: z.enum(["compact", "comfortable"]).optional(),
});

/** The stored choice as a set, dropping names that are no longer columns; null → every column. */
export function visibleColumns(stored: string[] | null): Set<ListColumn> {
  if (!stored) return new Set(LIST_COLUMN_IDS);
  return new Set(LIST_COLUMN_IDS.filter((id) => stored.includes(id)));
}
