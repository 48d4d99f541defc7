import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Stat } from "@/lib/diagnostics/analyze";
import { fmt } from "./format";

export type StatRow = { label: string; stat: Stat; digits?: number; unit?: string };

/** Figures as min / avg / max over one population (n = how many values it holds). */
export function StatTable({
  caption,
  rows,
  order = "min-avg-max",
}: {
  caption: string;
  rows: StatRow[];
  /** The Agents tab lists Min, Max, Avg (the spec's order). */
  order?: "min-avg-max" | "min-max-avg";
}) {
  const columns =
    order === "min-avg-max" ? (["min", "avg", "max"] as const) : (["min", "max", "avg"] as const);
  const names = { min: "Min", avg: "Avg", max: "Max" };
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead scope="col">Metric</TableHead>
          {columns.map((c) => (
            <TableHead key={c} scope="col" className="text-right">
              {names[c]}
            </TableHead>
          ))}
          <TableHead scope="col" className="text-right">
            Reports
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow key={r.label} data-testid={`stat-${r.label}`}>
            <TableHead scope="row" className="font-normal">
              {r.label}
            </TableHead>
            {columns.map((c) => (
              <TableCell key={c} className="text-right tabular-nums">
                {fmt(r.stat?.[c], r.digits ?? 0, r.unit)}
              </TableCell>
            ))}
            <TableCell className="text-right tabular-nums text-muted-foreground">
              {r.stat?.count ?? 0}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
