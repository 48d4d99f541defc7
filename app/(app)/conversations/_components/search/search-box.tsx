"use client";

import { History, Search, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { type KeyboardEvent, useId, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { type ListParams, listHref } from "@/lib/list-params";
import { MAX_SEARCH_LENGTH, normalizePhrase } from "@/lib/search/phrase";
import { recordSearchAction } from "./actions";

// The search field at the upper right of the Conversations page: a combobox (WAI-ARIA 1.2 pattern,
// list autocomplete) whose popup lists the viewer's recent searches. Typing and Enter searches;
// ↓/↑ move through the recent phrases, Enter or a click runs one, Esc closes the list (or, when it
// is closed, clears the field). A search starts from the first page and is ranked by relevance.

const fromStart = { after: undefined, before: undefined, page: undefined, sort: undefined } as const;

export function SearchBox({ params, recent }: { params: ListParams; recent: string[] }) {
  const router = useRouter();
  const id = useId();
  const listId = `${id}-recent`;
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(params.q ?? "");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const typed = normalizePhrase(value).toLowerCase();
  // Recent phrases that continue what is typed (all of them while the field is empty).
  const options = recent.filter((p) => p.toLowerCase().includes(typed) && p.toLowerCase() !== typed);
  const expanded = open && options.length > 0;

  async function run(phrase: string) {
    const text = normalizePhrase(phrase);
    setValue(text);
    setOpen(false);
    setActive(-1);
    // Saved before navigating, so the page the search opens already lists it first. A failure to
    // save (e.g. signed out meanwhile) does not stop the search itself.
    if (text) await recordSearchAction({ phrase: text }).catch(() => undefined);
    router.push(listHref(params, { q: text || undefined, ...fromStart }));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!expanded) {
        setOpen(true);
        setActive(event.key === "ArrowDown" ? 0 : options.length - 1);
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      const n = options.length;
      setActive((i) => (i < 0 ? (step > 0 ? 0 : n - 1) : (i + step + n) % n));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = expanded && active >= 0 ? options[active] : undefined;
      run(chosen ?? value);
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (value) {
        event.preventDefault();
        setValue("");
      }
    }
  }

  const activeOption = expanded && active >= 0 && active < options.length ? `${listId}-${active}` : undefined;
  return (
    <search className="relative w-full sm:w-80">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run(value);
        }}
      >
        <label htmlFor={`${id}-input`} className="sr-only">
          Search conversations
        </label>
        <Search
          className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
          aria-hidden
        />
        <input
          ref={input}
          id={`${id}-input`}
          data-search-input
          type="text"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeOption}
          aria-describedby={`${id}-help`}
          autoComplete="off"
          enterKeyHint="search"
          maxLength={MAX_SEARCH_LENGTH}
          placeholder="Search conversations"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          className="h-9 w-full rounded-md border border-border bg-background pr-8 pl-8 text-sm shadow-xs outline-none placeholder:text-muted-foreground focus-visible:ring-2 focus-visible:ring-ring"
        />
        <span id={`${id}-help`} className="sr-only">
          Words, "exact phrases", -word to exclude, OR for either. Press down arrow for recent searches.
        </span>
        {value && (
          <button
            type="button"
            aria-label="Clear search"
            onClick={() => {
              setValue("");
              if (params.q) run("");
              input.current?.focus();
            }}
            className="absolute top-1/2 right-1.5 flex size-6 -translate-y-1/2 items-center justify-center rounded-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
          >
            <X className="size-4" aria-hidden />
          </button>
        )}
      </form>
      <div
        className={cn(
          "absolute right-0 left-0 z-30 mt-1 rounded-md border border-border bg-background p-1 text-sm text-foreground shadow-md",
          !expanded && "hidden",
        )}
      >
        <p className="px-2 py-1 text-xs font-medium text-muted-foreground" id={`${listId}-label`}>
          Recent Searches
        </p>
        <div id={listId} role="listbox" aria-labelledby={`${listId}-label`}>
          {options.map((phrase, i) => (
            <div
              key={phrase}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              // mousedown, not click: the field must not lose focus (and close the list) first.
              onMouseDown={(e) => {
                e.preventDefault();
                run(phrase);
              }}
              onMouseMove={() => setActive(i)}
              className={cn(
                "flex cursor-pointer items-center gap-2 truncate rounded-sm px-2 py-1.5",
                i === active && "bg-accent text-accent-foreground",
              )}
            >
              <History className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
              <span className="truncate">{phrase}</span>
            </div>
          ))}
        </div>
      </div>
    </search>
  );
}
