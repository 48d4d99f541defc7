"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { type ListParams, listHref, PAGE_SIZES } from "@/lib/list-params";

const selectClass =
  "h-8 rounded-md border border-border bg-background px-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring";

// Any change of a filter or the page size starts again from the first page: a cursor belongs to the
// view it came from. (The filter panel is in filters/filter-panel.tsx.)
const fromStart = { after: undefined, before: undefined, page: undefined } as const;

/**
 * "E2E p90 ≥ N ms": voice conversations whose End-to-End latency p90 reaches N. Applied on Enter or
 * when the field loses focus; emptied, the filter goes.
 */
export function LatencyFilter({ params }: { params: ListParams }) {
  const router = useRouter();
  const id = useId();
  const go = (changes: Partial<ListParams>) => router.push(listHref(params, { ...changes, ...fromStart }));
  const commit = (raw: string) => {
    const value = raw.trim() === "" ? undefined : Math.round(Number(raw));
    if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 600_000)) return;
    if (value !== params.e2eP90Min) go({ e2eP90Min: value });
  };
  return (
    <span className="flex items-center gap-2">
      <label htmlFor={id} className="text-muted-foreground" title="End-to-End Latency, 90th percentile">
        E2E p90 ≥
      </label>
      <input
        id={id}
        key={params.e2eP90Min ?? ""}
        type="number"
        inputMode="numeric"
        min={0}
        max={600_000}
        step={100}
        placeholder="any"
        defaultValue={params.e2eP90Min ?? ""}
        aria-describedby={`${id}-unit`}
        className={`${selectClass} w-24`}
        onBlur={(e) => commit(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit(e.currentTarget.value);
        }}
      />
      <span id={`${id}-unit`} className="text-muted-foreground">
        ms
      </span>
    </span>
  );
}

export function PageSizeSelect({ params }: { params: ListParams }) {
  const router = useRouter();
  const id = useId();
  return (
    <span className="flex items-center gap-2">
      <label htmlFor={id} className="text-muted-foreground">
        Rows per page
      </label>
      <select
        id={id}
        className={selectClass}
        value={params.size}
        onChange={(e) => router.push(listHref(params, { size: Number(e.target.value), ...fromStart }))}
      >
        {PAGE_SIZES.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </span>
  );
}
