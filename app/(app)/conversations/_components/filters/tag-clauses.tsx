"use client";

import { Minus, Plus } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, NativeSelect } from "@/components/ui/input";
import { MAX_TAG_CLAUSES, TAG_CLAUSE_LIMIT_MESSAGE, type TagClause } from "@/lib/list-params";
import { emptyClause } from "./draft";

const PREDICATE_LABELS = { contains: "CONTAINS", not_contains: "DOES NOT CONTAIN" } as const;

/**
 * "Filter for Custom Tags (Beta)": clauses of tag name, predicate and value, all of which must match.
 * AND adds a clause (a 6th is refused with the spec's note), "-" removes one.
 */
export function TagClauses({
  enabled,
  clauses,
  onEnabledChange,
  onChange,
}: {
  enabled: boolean;
  clauses: TagClause[];
  onEnabledChange: (enabled: boolean) => void;
  onChange: (clauses: TagClause[]) => void;
}) {
  const id = useId();
  const [refused, setRefused] = useState(false);
  const set = (index: number, change: Partial<TagClause>) =>
    onChange(clauses.map((clause, i) => (i === index ? { ...clause, ...change } : clause)));
  const add = () => {
    if (clauses.length >= MAX_TAG_CLAUSES) {
      setRefused(true);
      return;
    }
    onChange([...clauses, emptyClause()]);
  };
  const remove = (index: number) => {
    setRefused(false);
    const rest = clauses.filter((_, i) => i !== index);
    onChange(rest.length ? rest : [emptyClause()]);
  };
  return (
    <fieldset className="grid gap-2">
      <legend className="sr-only">Custom tags</legend>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          className="size-4 accent-primary"
          checked={enabled}
          onChange={(e) => onEnabledChange(e.target.checked)}
        />
        Filter for Custom Tags (Beta)
      </label>
      {enabled && (
        <ol className="grid gap-2" aria-label="Custom tag clauses">
          {clauses.map((clause, index) => {
            const n = index + 1;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: clauses have no identity beyond their place
              <li key={index} className="flex flex-wrap items-center gap-2" data-testid="tag-clause">
                {index > 0 && <span className="w-full text-xs font-semibold text-muted-foreground">AND</span>}
                <label className="sr-only" htmlFor={`${id}-name-${n}`}>
                  Tag name (clause {n})
                </label>
                <Input
                  id={`${id}-name-${n}`}
                  className="h-8 w-36"
                  placeholder="Tag name"
                  maxLength={100}
                  value={clause.name}
                  onChange={(e) => set(index, { name: e.target.value })}
                />
                <label className="sr-only" htmlFor={`${id}-op-${n}`}>
                  Predicate (clause {n})
                </label>
                <NativeSelect
                  id={`${id}-op-${n}`}
                  className="h-8"
                  value={clause.op}
                  onChange={(e) => set(index, { op: e.target.value as TagClause["op"] })}
                >
                  {Object.entries(PREDICATE_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </NativeSelect>
                <label className="sr-only" htmlFor={`${id}-value-${n}`}>
                  Tag value (clause {n})
                </label>
                <Input
                  id={`${id}-value-${n}`}
                  className="h-8 w-36"
                  placeholder="Value (any if empty)"
                  maxLength={200}
                  value={clause.value}
                  onChange={(e) => set(index, { value: e.target.value })}
                />
                <Button
                  type="button"
                  variant="outline"
                  size="icon"
                  className="size-8"
                  aria-label={`Remove clause ${n}`}
                  onClick={() => remove(index)}
                >
                  <Minus aria-hidden />
                </Button>
              </li>
            );
          })}
        </ol>
      )}
      {enabled && (
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" variant="outline" size="sm" onClick={add}>
            <Plus aria-hidden />
            AND
          </Button>
          <span className="text-xs text-muted-foreground">
            {clauses.length} of {MAX_TAG_CLAUSES} clauses
          </span>
        </div>
      )}
      {enabled && refused && (
        <p role="alert" className="text-sm text-destructive">
          {TAG_CLAUSE_LIMIT_MESSAGE}
        </p>
      )}
    </fieldset>
  );
}
