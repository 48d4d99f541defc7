import { X } from "lucide-react";
import Link from "next/link";
import { badgeVariants } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { SMART_STATUS_LABELS, STATUS_LABELS } from "@/lib/conversations/status";
import { FILTER_KEYS, type FilterKey, type ListParams, listHref, type TagClause } from "@/lib/list-params";

// The active filters as removable chips, one per filter in the URL (whether set in the filter
// panel or typed as a field prefix in the search box, lib/search/query.ts): each chip is a link to
// the same list without that filter, from its first page.

const NAMES: Record<FilterKey, string> = {
  ids: "Id",
  queue: "Queue",
  channel: "Channel",
  agent: "Agent",
  status: "Status",
  smart: "SmartStatus",
  csat: "CSAT",
  direction: "Direction",
  from: "From",
  to: "To",
  tags: "Tag",
  phone: "Phone",
  email: "E-mail",
  customer: "Customer",
};

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function describeValue(key: FilterKey, value: unknown): string {
  if (key === "status")
    return (value as (keyof typeof STATUS_LABELS)[]).map((s) => STATUS_LABELS[s]).join(", ");
  if (key === "smart")
    return (value as (keyof typeof SMART_STATUS_LABELS)[]).map((s) => SMART_STATUS_LABELS[s]).join(", ");
  if (key === "channel" || key === "direction") return (value as string[]).map(capital).join(", ");
  if (key === "tags")
    return (value as TagClause[])
      .map(
        (c) =>
          `${c.name} ${c.op === "contains" ? "contains" : "does not contain"} ${c.value ? `“${c.value}”` : "any value"}`,
      )
      .join("; ");
  return Array.isArray(value) ? value.join(", ") : String(value);
}

export function ActiveFilters({ params }: { params: ListParams }) {
  const active = FILTER_KEYS.filter((key) => params[key] !== undefined);
  if (active.length === 0) return null;
  return (
    <ul className="flex flex-wrap items-center gap-2" aria-label="Active filters">
      {active.map((key) => {
        const label = `${NAMES[key]}: ${describeValue(key, params[key])}`;
        return (
          <li key={key}>
            <Link
              href={listHref(params, {
                [key]: undefined,
                after: undefined,
                before: undefined,
                page: undefined,
              })}
              className={cn(badgeVariants({ variant: "outline" }), "max-w-xs hover:bg-muted")}
              aria-label={`Remove filter ${label}`}
              data-testid="active-filter"
            >
              <span className="truncate">{label}</span>
              <X aria-hidden />
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
