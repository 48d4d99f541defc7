import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { Stat } from "@/lib/diagnostics/analyze";
import { fmt } from "./format";
import { mosBand } from "./mos-bands";

export type StatRow = {
  /** The figure's name as the spec gives it: "IA (Inter Arrival) Jitter". */
  label: string;
  stat: Stat;
  /** Decimals of the figures; an average of whole counts shows up to 2. */
  digits?: number;
  /** Said once, in the row's header ("… (ms)"), so the cells are bare numbers that line up. */
  unit?: string;
  /** A MOS row also names the quality band of its average. */
  mos?: boolean;
};

const COLUMNS = [
  ["min", "Min"],
  ["avg", "Avg"],
  ["max", "Max"],
] as const;

function valueText(r: StatRow, key: (typeof COLUMNS)[number][0]): string {
  const v = r.stat?.[key];
  const digits = r.digits ?? 0;
  const shown = key === "avg" && digits === 0 && v !== undefined && !Number.isInteger(v) ? 2 : digits;
  return fmt(v, shown);
}

/**
 * One compact table: a row per figure, Min / Avg / Max over one population (the same reports) and
 * how many reports that is. Used by the QoS tab (per stream) and the Agents tab (per session).
 */
export function StatTable({ caption, rows }: { caption: string; rows: StatRow[] }) {
  return (
    <Table className="text-sm" data-testid="stat-table">
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead scope="col">Metric</TableHead>
          {COLUMNS.map(([key, name]) => (
            <TableHead key={key} scope="col" className="text-right">
              {name}
            </TableHead>
          ))}
          <TableHead scope="col" className="text-right">
            Reports
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => {
          const band = r.mos ? mosBand(r.stat?.avg) : null;
          return (
            <TableRow key={r.label} data-testid={`stat-${r.label}`} data-metric={r.label}>
              <TableHead
                scope="row"
                className="h-auto whitespace-normal py-1.5 font-normal normal-case tracking-normal text-foreground"
              >
                <span>
                  {r.label}
                  {r.unit && <span className="text-muted-foreground"> ({r.unit})</span>}
                </span>
                {band && (
                  <Badge
                    variant={band.tone === "good" ? "success" : band.tone === "fair" ? "warning" : "danger"}
                    className="ml-2 align-middle"
                    data-testid="mos-band"
                  >
                    Avg: {band.label}
                  </Badge>
                )}
              </TableHead>
              {COLUMNS.map(([key]) => (
                <TableCell key={key} className="py-1.5 text-right tabular-nums" data-column={key}>
                  {valueText(r, key)}
                </TableCell>
              ))}
              <TableCell className="py-1.5 text-right tabular-nums text-muted-foreground">
                {r.stat?.count ?? 0}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
