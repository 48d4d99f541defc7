"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { FilterVisibility } from "@/db/types";
import { FILTER_MESSAGES } from "@/lib/conversations/filter-messages";
import type { FilterOptions } from "@/lib/conversations/filter-options";
import type { SavedFilter } from "@/lib/conversations/saved-filters";
import { SMART_STATUS_LABELS, STATUS_LABELS } from "@/lib/conversations/status";
import {
  CHANNELS,
  type ConversationFilter,
  CSAT_SCORES,
  filterHref,
  filterQuery,
  type ListParams,
  SMART_STATUSES,
  STATUSES,
} from "@/lib/list-params";
import { useToast } from "../toast";
import { createSavedFilterAction, updateSavedFilterAction } from "./actions";
import { type Draft, draftFromFilter, draftProblem, EMPTY_DRAFT, filterFromDraft } from "./draft";
import { actionError, NameDialog, VisibilityField } from "./name-dialog";
import { TagClauses } from "./tag-clauses";

const CHANNEL_LABELS = { voice: "Voice", chat: "Chat", email: "Email" } as const;

/**
 * The filter form (New Filter, or Edit of a saved one): IDs, Queues, Channels, Agents, Status,
 * SmartStatus, CSAT, date range and custom tags. Clear empties the form; Apply filters the list once;
 * Save & Apply asks for a name (new) or saves the changes (edit), then applies the saved filter.
 */
export function FilterBuilder({
  params,
  options,
  initial,
  editing,
  onDone,
}: {
  params: ListParams;
  options: FilterOptions;
  initial: ConversationFilter;
  /** The saved filter being edited, if any. */
  editing: SavedFilter | null;
  onDone: () => void;
}) {
  const id = useId();
  const router = useRouter();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(() => draftFromFilter(initial));
  const [problem, setProblem] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState(editing?.name ?? "");
  const [visibility, setVisibility] = useState<FilterVisibility>(editing?.visibility ?? "private");
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  /** The draft as a filter, or null (with the reason shown) when it cannot be applied yet. */
  const checked = (): ConversationFilter | null => {
    const reason = draftProblem(draft);
    setProblem(reason);
    return reason ? null : filterFromDraft(draft);
  };
  const apply = (filter: ConversationFilter, message: string, saved?: string) => {
    router.push(filterHref(params, filter, saved));
    toast(message);
    onDone();
  };

  const saveNew = async (filterName: string, vis: FilterVisibility) => {
    const filter = filterFromDraft(draft);
    const result = await createSavedFilterAction({
      name: filterName,
      visibility: vis,
      filter: filterQuery(filter),
    });
    if (result.ok) apply(filter, FILTER_MESSAGES.created, result.data.id);
    return result;
  };
  const saveEdit = (saved: SavedFilter) => {
    const filter = checked();
    if (!filter) return;
    startTransition(async () => {
      const result = await updateSavedFilterAction({
        id: saved.id,
        name,
        visibility,
        filter: filterQuery(filter),
      });
      setProblem(actionError(result));
      if (result.ok) apply(filter, FILTER_MESSAGES.updated, saved.id);
    });
  };

  return (
    <form
      className="grid gap-4"
      aria-label={editing ? `Edit filter ${editing.name}` : "New filter"}
      onSubmit={(event) => {
        event.preventDefault();
        const filter = checked();
        if (filter) apply(filter, FILTER_MESSAGES.applied);
      }}
    >
      {editing && (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-name`}>Filter name</Label>
            <Input id={`${id}-name`} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
          </div>
          <VisibilityField value={visibility} onChange={setVisibility} />
        </div>
      )}
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-ids`}>IDs</Label>
        <Input
          id={`${id}-ids`}
          placeholder="Conversation, session or call IDs, separated by commas"
          value={draft.ids}
          onChange={(e) => set("ids", e.target.value)}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Choices
          legend="Queues"
          empty="No queues yet"
          options={options.queues.map((q) => ({ value: q, label: q }))}
          selected={draft.queue}
          onChange={(v) => set("queue", v)}
        />
        <Choices
          legend="Agents"
          empty="No agents yet"
          options={options.agents.map((a) => ({ value: a.email.toLowerCase(), label: a.name }))}
          selected={draft.agent}
          onChange={(v) => set("agent", v)}
        />
        <Choices
          legend="Channels"
          options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
          selected={draft.channel}
          onChange={(v) => set("channel", v)}
        />
        <Choices
          legend="Status"
          options={STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
          selected={draft.status}
          onChange={(v) => set("status", v)}
        />
        <Choices
          legend="SmartStatus"
          options={SMART_STATUSES.map((s) => ({ value: s, label: SMART_STATUS_LABELS[s] }))}
          selected={draft.smart}
          onChange={(v) => set("smart", v)}
        />
        <Choices
          legend="CSAT"
          options={CSAT_SCORES.map((n) => ({ value: n, label: `${n} ★` }))}
          selected={draft.csat}
          onChange={(v) => set("csat", v)}
        />
      </div>
      <fieldset className="flex flex-wrap items-end gap-3">
        <legend className="mb-1.5 text-sm font-medium">Date range (UTC)</legend>
        <div className="grid gap-1">
          <Label htmlFor={`${id}-from`} className="text-xs text-muted-foreground">
            From
          </Label>
          <Input
            id={`${id}-from`}
            type="date"
            className="w-auto"
            value={draft.from}
            onChange={(e) => set("from", e.target.value)}
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor={`${id}-to`} className="text-xs text-muted-foreground">
            To
          </Label>
          <Input
            id={`${id}-to`}
            type="date"
            className="w-auto"
            value={draft.to}
            onChange={(e) => set("to", e.target.value)}
          />
        </div>
      </fieldset>
      <TagClauses
        enabled={draft.tagsOn}
        clauses={draft.clauses}
        onEnabledChange={(on) => set("tagsOn", on)}
        onChange={(clauses) => set("clauses", clauses)}
      />
      {problem && (
        <p role="alert" className="text-sm text-destructive">
          {problem}
        </p>
      )}
      <div className="sticky bottom-0 -mx-6 flex flex-wrap justify-end gap-2 border-t border-border bg-background px-6 py-4">
        <Button
          type="button"
          variant="ghost"
          onClick={() => {
            setDraft(EMPTY_DRAFT);
            setProblem(null);
          }}
        >
          Clear
        </Button>
        <Button type="submit" variant="outline">
          Apply
        </Button>
        <Button
          type="button"
          disabled={pending}
          onClick={() => {
            if (editing) saveEdit(editing);
            else if (checked()) setNaming(true);
          }}
        >
          Save &amp; Apply
        </Button>
      </div>
      <NameDialog
        open={naming}
        onOpenChange={setNaming}
        title="Save filter"
        description="Name the filter to find it again in the Filters tab."
        submitLabel="Save & Apply"
        withVisibility
        onSubmit={saveNew}
      />
    </form>
  );
}

/** Past this many options a group gets a search field (hundreds of agents, dozens of queues). */
const SEARCHABLE_FROM = 8;

/**
 * A group of checkboxes; nothing ticked means "any". Long groups are searchable: typing narrows the
 * list (ticked options always stay listed, first), so 500 agents are as quick to pick as 5.
 */
function Choices<T extends string | number>({
  legend,
  empty,
  options,
  selected,
  onChange,
}: {
  legend: string;
  /** Said instead of an empty box when there is nothing to choose from. */
  empty?: string;
  options: { value: T; label: string }[];
  selected: T[];
  onChange: (values: T[]) => void;
}) {
  const [query, setQuery] = useState("");
  const searchable = options.length >= SEARCHABLE_FROM;
  const needle = query.trim().toLowerCase();
  const shown = searchable
    ? [
        ...options.filter((o) => selected.includes(o.value)),
        ...options.filter(
          (o) =>
            !selected.includes(o.value) &&
            (!needle ||
              o.label.toLowerCase().includes(needle) ||
              String(o.value).toLowerCase().includes(needle)),
        ),
      ]
    : options;
  return (
    <fieldset className="min-w-0">
      <legend className="mb-1.5 text-sm font-medium">
        {legend}
        {selected.length > 0 && (
          <span className="ml-1.5 text-xs font-normal text-muted-foreground">
            ({selected.length} selected)
          </span>
        )}
      </legend>
      {searchable && (
        <Input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder={`Search ${options.length} ${legend.toLowerCase()}`}
          aria-label={`Search ${legend.toLowerCase()}`}
          className="mb-1.5 h-8"
        />
      )}
      {options.length === 0 && empty ? (
        <p className="text-sm text-muted-foreground">{empty}</p>
      ) : (
        <div className="grid max-h-36 gap-1 overflow-y-auto rounded-md border border-border p-2">
          {shown.length === 0 && (
            <p className="text-sm text-muted-foreground">No {legend.toLowerCase()} match</p>
          )}
          {shown.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={selected.includes(option.value)}
                onChange={(e) =>
                  onChange(
                    e.target.checked
                      ? [...selected, option.value]
                      : selected.filter((v) => v !== option.value),
                  )
                }
              />
              {option.label}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
