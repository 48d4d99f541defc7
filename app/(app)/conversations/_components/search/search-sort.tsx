"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { NativeSelect } from "@/components/ui/input";
import { type ListParams, listHref } from "@/lib/list-params";

/** With a search: ranked by relevance (the default) or by Start Time (newest or oldest first). */
export function SearchSort({ params }: { params: ListParams }) {
  const router = useRouter();
  const id = useId();
  return (
    <span className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-muted-foreground">
        Sort by
      </label>
      <NativeSelect
        id={id}
        className="h-8"
        value={params.sort}
        onChange={(e) =>
          router.push(
            listHref(params, {
              sort: e.target.value,
              after: undefined,
              before: undefined,
              page: undefined,
            }),
          )
        }
      >
        <option value="relevance">Relevance</option>
        <option value="newest">Start Time, newest first</option>
        <option value="oldest">Start Time, oldest first</option>
      </NativeSelect>
    </span>
  );
}
