"use client";

import { Filter, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { FILTER_MESSAGES } from "@/lib/conversations/filter-messages";
import type { FilterOptions } from "@/lib/conversations/filter-options";
import type { SavedFilter } from "@/lib/conversations/saved-filters";
import { FILTER_KEYS, filterHref, type ListParams, pickFilter } from "@/lib/list-params";
import { useToast } from "../toast";
import { FilterBuilder } from "./filter-builder";
import { SavedFiltersList } from "./saved-filters-list";

/**
 * The Filter icon above the list: opens the panel (New Filter / Filters tabs), shows how many
 * filters narrow the list and which saved filter is applied, and clears them.
 */
export function FilterPanel({
  params,
  options,
  savedFilters,
  viewerId,
}: {
  params: ListParams;
  options: FilterOptions;
  savedFilters: SavedFilter[];
  viewerId: string;
}) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<"builder" | "saved">("builder");
  const [editing, setEditing] = useState<SavedFilter | null>(null);
  // Remounts the form with fresh state each time the panel opens or switches what it edits.
  const [session, setSession] = useState(0);
  // The button that opened the panel gets focus back when it closes (no DialogTrigger: two openers).
  const opener = useRef<HTMLElement | null>(null);
  const active = FILTER_KEYS.filter((key) => params[key] !== undefined).length;
  const applied = savedFilters.find((f) => f.id === params.filter);

  const show = (next: "builder" | "saved", edit: SavedFilter | null = null) => {
    if (!open && document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
    setEditing(edit);
    setTab(next);
    setSession((n) => n + 1);
    setOpen(true);
  };

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={(event) => {
          opener.current = event.currentTarget;
          show("builder");
        }}
        aria-haspopup="dialog"
      >
        <Filter aria-hidden />
        Filter
        {active > 0 && (
          <Badge variant="default">
            {active}
            <span className="sr-only"> active</span>
          </Badge>
        )}
      </Button>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        onClick={(event) => {
          opener.current = event.currentTarget;
          show("saved");
        }}
        aria-haspopup="dialog"
      >
        Saved filters
      </Button>
      {applied && (
        <span className="text-muted-foreground" data-testid="applied-filter">
          Filter: <span className="font-medium text-foreground">{applied.name}</span>
        </span>
      )}
      {active > 0 && (
        <Button
          type="button"
          variant="ghost"
          size="sm"
          onClick={() => {
            router.push(filterHref(params, {}));
            toast(FILTER_MESSAGES.cleared);
          }}
        >
          <X aria-hidden />
          Clear filters
        </Button>
      )}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          // Fits any window (an 800 px laptop included): the form scrolls, its buttons stay in view.
          className="max-h-[calc(100dvh-2rem)] max-w-3xl overflow-y-auto pb-0"
          onCloseAutoFocus={(event) => {
            if (!opener.current?.isConnected) return;
            event.preventDefault();
            opener.current.focus();
          }}
        >
          <DialogTitle>Filters</DialogTitle>
          <DialogDescription className="sr-only">
            Build a filter for the conversations list, or pick a saved one.
          </DialogDescription>
          <Tabs
            value={tab}
            // Switching tabs keeps an edit in progress; the Filter button starts a new filter.
            onValueChange={(value) => show(value as "builder" | "saved", editing)}
          >
            <TabsList>
              <TabsTrigger value="builder">{editing ? "Edit Filter" : "New Filter"}</TabsTrigger>
              <TabsTrigger value="saved">Filters</TabsTrigger>
            </TabsList>
            <TabsContent value="builder" className="pt-4">
              <FilterBuilder
                key={session}
                params={params}
                options={options}
                initial={editing ? editing.filter : pickFilter(params)}
                editing={editing}
                onDone={() => setOpen(false)}
              />
            </TabsContent>
            <TabsContent value="saved" className="pt-4">
              <SavedFiltersList
                filters={savedFilters}
                params={params}
                viewerId={viewerId}
                onEdit={(filter) => show("builder", filter)}
                onApplied={() => setOpen(false)}
              />
            </TabsContent>
          </Tabs>
        </DialogContent>
      </Dialog>
    </div>
  );
}
