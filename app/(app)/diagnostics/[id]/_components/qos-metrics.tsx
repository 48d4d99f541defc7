import { Table, TableBody, TableCell, TableHead, TableHeaderRow, TableRow } from "@/components/ui/table";
import type { Stat } from "@/lib/diagnostics/analyze";
import { fmt } from "./format";

/** One figure as the spec lists it: a group ("LSR (Last Sender Report)") of Min./Avg./Max. rows. */
export type MetricGroup = {
  name: string;
  /** The rows' name: "Min. LSR". */
  short: string;
  stat: Stat;
  /** Decimals of min and max; an average of whole counts shows up to 2. */
  digits?: number;
  unit?: string;
};

const ROWS = [
  ["min", "Min."],
  ["avg", "Avg."],
  ["max", "Max."],
] as const;

function valueText(g: MetricGroup, key: (typeof ROWS)[number][0]): string {
  const v = g.stat?.[key];
  const digits = g.digits ?? 0;
  const shown = key === "avg" && digits === 0 && v !== undefined && !Number.isInteger(v) ? 2 : digits;
  return fmt(v, shown, g.unit);
}

/** Each group a row group: its name and report count, then one row per Min./Avg./Max. figure. */
export function MetricTable({ caption, groups }: { caption: string; groups: MetricGroup[] }) {
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeaderRow columns={["Metric", "Value"]} />
      {groups.map((g) => (
        <TableBody key={g.name} data-testid="qos-group">
          <TableRow className="bg-muted/40 hover:bg-muted/40">
            <TableHead scope="rowgroup" className="normal-case tracking-normal text-foreground font-semibold">
              {g.name}
            </TableHead>
            <TableCell className="text-xs text-muted-foreground">
              {g.stat?.count ?? 0} {g.stat?.count === 1 ? "report" : "reports"}
            </TableCell>
          </TableRow>
          {ROWS.map(([key, prefix]) => (
            <TableRow key={key} data-testid="qos-metric" data-metric={`${prefix} ${g.short}`}>
              <TableHead scope="row" className="pl-6 font-normal normal-case tracking-normal text-foreground">
                {`${prefix} ${g.short}`}
              </TableHead>
              <TableCell className="tabular-nums">{valueText(g, key)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      ))}
    </Table>
  );
}
