import { Download, ScrollText } from "lucide-react";
import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { FilterSelect } from "@/components/filter-select";
import { LocalTime } from "@/components/local-time";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Table,
  TableBody,
  TableCard,
  TableCell,
  TableEmpty,
  TableHeaderRow,
  TableRow,
} from "@/components/ui/table";
import { getDb } from "@/db/index";
import type { Json } from "@/db/types";
import {
  type AuditRow,
  auditSearchParams,
  listAuditFacets,
  listAuditLog,
  parseAuditSearch,
} from "@/lib/audit/query";
import { requirePermission } from "@/lib/auth/viewer";
import { listUsers } from "@/lib/users/queries";

export const metadata: Metadata = { title: "Audit log · Admin" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("admin:view");
  const search = parseAuditSearch(await searchParams);
  const db = getDb();
  const [page, facets, users] = await Promise.all([
    listAuditLog(db, search),
    listAuditFacets(db),
    listUsers(db),
  ]);
  const { before, ...filters } = search;
  const query = auditSearchParams(filters).toString();
  const filtered = query !== "";
  const withQuery = (path: string, extra?: Record<string, string>) => {
    const params = auditSearchParams({ ...filters, ...extra }).toString();
    return params ? `${path}?${params}` : path;
  };

  return (
    <section aria-labelledby="audit-heading" className="space-y-4">
      <h2 id="audit-heading" className="sr-only">
        Audit log
      </h2>
      {/* GET form: the filters live in the URL, so any view is a shareable link. Remounted per query. */}
      <Form
        key={query}
        action="/admin/audit"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-background p-4 shadow-xs"
      >
        <FilterSelect
          idPrefix="audit"
          name="action"
          label="Action"
          all="All actions"
          value={filters.action}
          options={facets.actions.map((a) => [a, a])}
        />
        <FilterSelect
          idPrefix="audit"
          name="actor"
          label="Actor"
          all="Anyone"
          value={filters.actor}
          options={users.map((u) => [u.id, u.name])}
        />
        <FilterSelect
          idPrefix="audit"
          name="target"
          label="Target type"
          all="All targets"
          value={filters.target}
          options={facets.targetTypes.map((t) => [t, t])}
        />
        <div className="grid gap-1.5">
          <Label htmlFor="audit-conversation">Conversation ID</Label>
          <Input
            id="audit-conversation"
            name="conversation"
            defaultValue={filters.conversation}
            placeholder="Any conversation"
            className="w-80 font-mono text-xs"
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-from">From (UTC)</Label>
          <Input id="audit-from" type="date" name="from" defaultValue={filters.from} className="w-40" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-to">To (UTC)</Label>
          <Input id="audit-to" type="date" name="to" defaultValue={filters.to} className="w-40" />
        </div>
        <Button type="submit">Apply filters</Button>
        {filtered && (
          <Button asChild variant="ghost">
            <Link href="/admin/audit">Clear</Link>
          </Button>
        )}
        <Button asChild variant="outline" className="ml-auto">
          {/* A plain link: the browser downloads the file rather than the router fetching a page. */}
          <a href={withQuery("/api/admin/audit.csv")} download>
            <Download aria-hidden />
            Download CSV
          </a>
        </Button>
      </Form>

      <TableCard>
        {page.rows.length === 0 ? (
          <TableEmpty
            icon={ScrollText}
            title={filtered ? "No entries match these filters" : "No audit entries yet"}
          />
        ) : (
          <Table aria-label="Audit log">
            <TableHeaderRow columns={["Time", "Actor", "Action", "Target", "Details", "IP address"]} />
            <TableBody>
              {page.rows.map((row) => (
                <TableRow key={row.id} data-testid="audit-row">
                  <TableCell>
                    <LocalTime value={row.createdAt} />
                  </TableCell>
                  <TableCell>{actorLabel(row)}</TableCell>
                  <TableCell className="font-mono text-xs">{row.action}</TableCell>
                  <TableCell>
                    {row.targetType && (
                      <span className="flex flex-col leading-tight">
                        <span className="text-xs text-muted-foreground">{row.targetType}</span>
                        <span>{row.targetName ?? row.targetId}</span>
                      </span>
                    )}
                  </TableCell>
                  <TableCell className="min-w-48 max-w-md whitespace-normal break-words">
                    {describeDetail(row.detail)}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{row.ip ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </TableCard>

      {(before || page.nextCursor) && (
        <nav aria-label="Audit log pages" className="flex justify-end gap-2">
          {before && (
            <Button asChild variant="outline" size="sm">
              <Link href={withQuery("/admin/audit")}>Newest</Link>
            </Button>
          )}
          {page.nextCursor && (
            <Button asChild variant="outline" size="sm">
              <Link href={withQuery("/admin/audit", { before: page.nextCursor })}>Older entries</Link>
            </Button>
          )}
        </nav>
      )}
    </section>
  );
}

function actorLabel(row: AuditRow): string {
  if (row.actorKind === "system") return "System";
  const name = row.actorName ?? row.actorId ?? "Unknown";
  return row.actorKind === "api_key" ? `API key ${name}` : name;
}

const show = (value: Json | undefined) => (typeof value === "string" ? value : JSON.stringify(value ?? null));

/** "from → to" first (settings and role changes), then the other fields. */
function describeDetail(detail: Json): string {
  if (!detail || typeof detail !== "object" || Array.isArray(detail)) return show(detail);
  const { from, to, ...rest } = detail;
  const parts = "from" in detail || "to" in detail ? [`${show(from)} → ${show(to)}`] : [];
  for (const [key, value] of Object.entries(rest)) parts.push(`${key}: ${show(value)}`);
  return parts.join(" · ");
}
