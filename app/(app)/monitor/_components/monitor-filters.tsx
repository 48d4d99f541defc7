import Form from "next/form";
import Link from "next/link";
import { FilterSelect } from "@/components/filter-select";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { FilterOptions } from "@/lib/conversations/filter-options";
import { type MonitorParams, monitorFiltered } from "@/lib/conversations/monitor-params";
import { SMART_STATUS_LABELS } from "@/lib/conversations/status";
import { SMART_STATUSES } from "@/lib/list-params";

/**
 * Monitor's search and filters: a GET form, so the state lives in the URL (a shareable link) and a
 * new search starts from the first page. Remounted per query by the page.
 */
export function MonitorFilters({ params, options }: { params: MonitorParams; options: FilterOptions }) {
  return (
    <Form
      action="/monitor"
      role="search"
      aria-label="Search and filter conversations in progress"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-border bg-background p-3 shadow-xs"
    >
      <div className="grid min-w-56 flex-1 gap-1.5">
        <Label htmlFor="monitor-q">Search</Label>
        <Input
          id="monitor-q"
          type="search"
          name="q"
          defaultValue={params.q ?? ""}
          maxLength={200}
          placeholder="Customer, phone, session ID or words said"
        />
      </div>
      <FilterSelect
        idPrefix="monitor"
        name="queue"
        label="Queue"
        all="All queues"
        value={params.queue?.[0]}
        options={options.queues.map((q) => [q, q])}
      />
      <FilterSelect
        idPrefix="monitor"
        name="agent"
        label="Agent"
        all="Anyone"
        value={params.agent?.[0]}
        options={options.agents.map((a) => [a.email.toLowerCase(), a.name])}
      />
      <FilterSelect
        idPrefix="monitor"
        name="smart"
        label="Status"
        all="Any status"
        value={params.smart?.[0]}
        options={SMART_STATUSES.map((s) => [s, SMART_STATUS_LABELS[s]])}
      />
      <Button type="submit">Search</Button>
      {monitorFiltered(params) && (
        <Button asChild variant="ghost">
          <Link href="/monitor">Clear</Link>
        </Button>
      )}
    </Form>
  );
}
