import { Inbox, SearchX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { TableCard } from "@/components/ui/table";
import { getDb } from "@/db/index";
import { exportAllowed } from "@/lib/auth/export-access";
import { can } from "@/lib/auth/permissions";
import { getViewerTimeZone, requirePermission } from "@/lib/auth/viewer";
import { listFilterOptions } from "@/lib/conversations/filter-options";
import { countConversations, listConversations } from "@/lib/conversations/list";
import { visibleColumns } from "@/lib/conversations/list-columns";
import { getDefaultFilter, listSavedFilters } from "@/lib/conversations/saved-filters";
import { getReadDb } from "@/lib/db-read";
import {
  FILTER_KEYS,
  filterHref,
  hasFilters,
  isLatencySort,
  type ListParams,
  listHref,
  listViewQuery,
  parseListParams,
} from "@/lib/list-params";
import { parseSearch, searchListOptions } from "@/lib/search/index";
import { normalizePhrase } from "@/lib/search/phrase";
import { parsePhrase } from "@/lib/search/query";
import { listRecentSearches } from "@/lib/search/recent";
import { getSettings } from "@/lib/settings/request";
import { ColumnChooser } from "./_components/column-chooser";
import { ConversationPanel } from "./_components/conversation-panel";
import { ConversationsTable } from "./_components/conversations-table";
import { ExportMenu } from "./_components/export-menu";
import { ActiveFilters } from "./_components/filters/active-filters";
import { FilterPanel } from "./_components/filters/filter-panel";
import { ListKeyboard } from "./_components/list-keyboard";
import { LatencyFilter } from "./_components/list-toolbar";
import { LiveRefresh, type LiveWatch } from "./_components/live-refresh";
import { Pagination } from "./_components/pagination";
import { SearchBox } from "./_components/search/search-box";
import { SearchSort } from "./_components/search/search-sort";
import { SelectionBar, SelectionProvider } from "./_components/selection";

export const metadata: Metadata = { title: "Conversations" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ConversationsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requirePermission("conversations:read");
  const params = parseListParams(await searchParams);
  const readAll = can(viewer.role, "conversations:read-all");
  const db = getDb();
  // Field prefixes typed in the search box (status:error, agent:…) are filters: they move into the
  // URL's filter parameters, shown as chips, and the rest stays the search. A prefix it can't use
  // stays in the box and gets a hint (parseSearch) instead.
  const phrase = params.q ? parsePhrase(params.q) : null;
  if (phrase?.prefixed && phrase.hints.length === 0) {
    const text = normalizePhrase(phrase.text);
    redirect(
      listHref(params, {
        ...phrase.filters,
        q: text || undefined,
        sort: text ? params.sort : undefined,
        after: undefined,
        before: undefined,
        page: undefined,
      }),
    );
  }
  // The list, its search and its filter options may read from a replica (lib/db-read.ts).
  const readDb = await getReadDb();
  // Opened without an explicit filter (no filter fields, no filter=…): the viewer's default applies,
  // written into the URL so the view stays a link like any other.
  if (!hasFilters(params) && params.filter === undefined) {
    const preferred = await getDefaultFilter(db, viewer);
    if (preferred) redirect(filterHref(params, preferred.filter, preferred.id));
  }
  // A phrase with nothing to search for (only common words or exclusions) shows a hint, not an error.
  const obscure = (await getSettings()).obscure_customer_info; // read once per request
  const search = params.q ? await parseSearch(readDb, params.q, { viewer, obscure }) : null;
  const narrowed = hasFilters(params) || search !== null;
  const [page, total, options, savedFilters, canExport, recent, timeZone] = await Promise.all([
    search?.ok === false
      ? { items: [], next: null, prev: null }
      : // Every filter in the URL applies (list-params.ts): the page passes them all through.
        listConversations(readDb, viewer, {
          ...params,
          limit: params.size,
          ...searchListOptions(search),
        }),
    // Exact when cheap; else the planner's estimate, which only describes the whole table
    // (unfiltered, unscoped lists).
    search?.ok === false
      ? null
      : countConversations(readDb, viewer, { ...params, ...searchListOptions(search) }, readAll && !narrowed),
    listFilterOptions(readDb),
    listSavedFilters(db, viewer),
    exportAllowed(db, viewer),
    listRecentSearches(db, viewer.id),
    getViewerTimeZone(),
  ]);
  const closeHref = params.open ? listHref(params, { open: undefined }) : null;
  // The list's view (filters, search, sort; not its paging or open panel), for "all matching".
  const exportFilter = listViewQuery(params);

  // The start times this page spans; open-ended where nothing lies beyond it in that direction.
  // In a latency order a changed conversation may belong anywhere: watch every start time.
  const latency = isLatencySort(params.sort);
  const newest = params.sort === "newest";
  const times = page.items.map((c) => c.startedAt.toISOString()).sort();
  const atNewestEnd = newest ? !page.prev : !page.next;
  const atOldestEnd = newest ? !page.next : !page.prev;
  const watch: LiveWatch = {
    ids: [...page.items.map((c) => c.id), ...(params.open ? [params.open] : [])],
    from: latency || atOldestEnd ? null : (times[0] ?? null),
    to: latency || atNewestEnd ? null : (times.at(-1) ?? null),
  };

  const columns = visibleColumns(viewer.listColumns);
  const density = viewer.listDensity ?? "comfortable";
  return (
    <SelectionProvider>
      <div className="w-full px-4 py-4 sm:px-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <PageHeader
            title="Conversations"
            description={
              <span data-testid="list-subtitle">
                {describeList(params, readAll, search?.ok === false ? null : params.q)}
              </span>
            }
          />
          <div className="flex w-full min-w-0 flex-wrap items-center justify-end gap-3 sm:w-auto">
            <LiveRefresh watch={watch} />
            <SearchBox key={params.q ?? ""} params={params} recent={recent} />
          </div>
        </div>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
          <div className="flex min-w-0 flex-wrap items-center gap-3">
            <FilterPanel params={params} options={options} savedFilters={savedFilters} viewerId={viewer.id} />
            <LatencyFilter params={params} />
            {params.q && <SearchSort params={params} />}
            <ActiveFilters params={params} />
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <ColumnChooser columns={[...columns]} density={density} />
            <ExportMenu canExport={canExport} filter={exportFilter} matching={total} />
          </div>
        </div>
        <div
          className={cn(
            "gap-4",
            params.open && "2xl:grid 2xl:grid-cols-[minmax(0,1fr)_var(--panel-width,34rem)]",
          )}
        >
          <TableCard className="min-w-0">
            {search?.ok && search.hints.length > 0 && page.items.length > 0 && (
              <p
                role="status"
                className="border-b px-4 py-2 text-sm text-muted-foreground"
                data-testid="search-hint"
              >
                {search.hints.join(" ")}
              </p>
            )}
            <SelectionBar />
            {page.items.length === 0 ? (
              <EmptyState
                filtered={narrowed || !!params.after || !!params.before}
                hint={search?.ok === false ? search.hint : (search?.hints[0] ?? null)}
                clearHref={filterHref({ sort: params.sort, size: params.size }, {})}
              />
            ) : (
              <>
                <ConversationsTable
                  conversations={page.items}
                  params={params}
                  canIntervene={can(viewer.role, "monitor:intervene")}
                  canExport={canExport}
                  timeZone={timeZone}
                  columns={columns}
                  density={density}
                />
                <Pagination params={params} page={page} total={total} />
              </>
            )}
          </TableCard>
          {params.open && closeHref && (
            <ConversationPanel id={params.open} closeHref={closeHref} q={params.q} />
          )}
        </div>
        <ListKeyboard closeHref={closeHref} />
      </div>
    </SelectionProvider>
  );
}

const SORT_WORDS: Record<string, string> = {
  newest: "newest first",
  oldest: "oldest first",
  relevance: "most relevant first",
  e2e_p90_desc: "by End-to-End p90, slowest first",
  e2e_p90_asc: "by End-to-End p90, fastest first",
};

/** The subtitle: what the list shows (whose, which search, in which order, how filtered). */
function describeList(params: ListParams, readAll: boolean, q: string | null | undefined): string {
  const whose = readAll ? "Every conversation" : "The conversations you took part in";
  const latency = isLatencySort(params.sort) ? " with measured latency" : "";
  const search = q ? ` matching “${q}”` : "";
  const order = SORT_WORDS[params.sort ?? "newest"] ?? "newest first";
  const filters = FILTER_KEYS.filter((key) => params[key] !== undefined).length + (params.e2eP90Min ? 1 : 0);
  const filtered = filters > 0 ? `, narrowed by ${filters} ${filters === 1 ? "filter" : "filters"}` : "";
  return `${latency ? "Voice conversations" : whose}${latency}${search}, ${order}${filtered}.`;
}

function EmptyState({
  filtered,
  hint,
  clearHref,
}: {
  filtered: boolean;
  hint: string | null;
  clearHref: string;
}) {
  if (filtered) {
    return (
      <div className="flex flex-col items-center gap-2 px-4 py-16 text-center">
        <SearchX className="size-8 text-muted-foreground" aria-hidden />
        <p className="font-medium">No conversations match</p>
        <p className="text-sm text-muted-foreground" data-testid="empty-hint">
          {hint ?? "Try other words or filters, or clear them to see everything."}
        </p>
        <Link href={clearHref} className={cn(buttonVariants({ variant: "outline", size: "sm" }), "mt-2")}>
          Clear filters
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col items-center gap-2 px-4 py-16 text-center">
      <Inbox className="size-8 text-muted-foreground" aria-hidden />
      <p className="font-medium">No conversations yet</p>
      <p className="text-sm text-muted-foreground">Conversations appear here as soon as they start.</p>
    </div>
  );
}
