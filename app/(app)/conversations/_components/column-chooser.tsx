"use client";

import { Columns3 } from "lucide-react";
import { useOptimistic, useTransition } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { LIST_COLUMNS, type ListColumn } from "@/lib/conversations/list-columns";
import { setListViewAction } from "../../_components/preference-actions";

type Density = "compact" | "comfortable";

/** Which columns the table shows and how dense its rows are; saved on the user (every device). */
export function ColumnChooser({ columns, density }: { columns: ListColumn[]; density: Density }) {
  const [, startTransition] = useTransition();
  const [view, setView] = useOptimistic({ columns, density });
  const save = (next: { columns?: ListColumn[]; density?: Density }) =>
    startTransition(async () => {
      setView({ ...view, ...next });
      await setListViewAction(next);
    });
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Columns3 aria-hidden />
          View
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56">
        <DropdownMenuLabel className="text-xs font-medium text-muted-foreground">Columns</DropdownMenuLabel>
        {LIST_COLUMNS.map((column) => (
          <DropdownMenuCheckboxItem
            key={column.id}
            checked={view.columns.includes(column.id)}
            onSelect={(event) => event.preventDefault()} // several changes in one visit
            onCheckedChange={(on) =>
              save({
                columns: LIST_COLUMNS.map((c) => c.id).filter((id) =>
                  id === column.id ? on : view.columns.includes(id),
                ),
              })
            }
          >
            {column.label}
          </DropdownMenuCheckboxItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="text-xs font-medium text-muted-foreground">Density</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={view.density}
          onValueChange={(value) => save({ density: value as Density })}
        >
          <DropdownMenuRadioItem value="comfortable" onSelect={(event) => event.preventDefault()}>
            Comfortable
          </DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="compact" onSelect={(event) => event.preventDefault()}>
            Compact
          </DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
