"use client";

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";

// Row selection (for exports) lives in the browser only: it is a working set, not a view to share.
// It survives paging, sorting and live refreshes, so a selection can be built across pages.
type Selection = {
  selected: ReadonlySet<string>;
  set: (ids: readonly string[], on: boolean) => void;
  clear: () => void;
};

const SelectionContext = createContext<Selection | null>(null);

export function useSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error("useSelection outside SelectionProvider");
  return selection;
}

export function SelectionProvider({ children }: { children: ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const set = useCallback((ids: readonly string[], on: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const clear = useCallback(() => setSelected(new Set()), []);
  const value = useMemo(() => ({ selected, set, clear }), [selected, set, clear]);
  return <SelectionContext value={value}>{children}</SelectionContext>;
}

// Styled by .list-table (globals.css), the table they sit in.
export function RowCheckbox({ id, label }: { id: string; label: string }) {
  const { selected, set } = useSelection();
  return (
    <input
      type="checkbox"
      aria-label={label}
      data-row-checkbox
      checked={selected.has(id)}
      onChange={(e) => set([id], e.target.checked)}
    />
  );
}

export function SelectAllOnPage({ ids }: { ids: string[] }) {
  const { selected, set } = useSelection();
  const count = ids.filter((id) => selected.has(id)).length;
  return (
    <input
      type="checkbox"
      aria-label="Select all on this page"
      checked={count > 0 && count === ids.length}
      ref={(el) => {
        if (el) el.indeterminate = count > 0 && count < ids.length;
      }}
      onChange={(e) => set(ids, e.target.checked)}
    />
  );
}

/** "N selected" with a way out; appears only while something is selected. */
export function SelectionBar() {
  const { selected, clear } = useSelection();
  if (selected.size === 0) return null;
  return (
    <div
      className="flex items-center gap-3 border-b border-border bg-primary/5 px-3 py-2 text-sm"
      data-testid="selection-bar"
    >
      <span className="font-medium">{selected.size} selected</span>
      <Button variant="ghost" size="sm" onClick={clear}>
        Clear selection
      </Button>
    </div>
  );
}
