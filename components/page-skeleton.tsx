import { SkeletonRows } from "@/components/skeleton-rows";
import { cn } from "@/components/ui/cn";

/** A page's loading.tsx: a heading placeholder over skeleton rows, in the page's own width. */
export function PageSkeleton({ label, rows, wide = false }: { label: string; rows: number; wide?: boolean }) {
  return (
    <div className={cn("mx-auto px-4 py-6 sm:px-6", wide ? "max-w-screen-2xl" : "max-w-screen-lg")}>
      <div className="mb-4 h-7 w-48 animate-pulse rounded bg-muted" />
      <SkeletonRows
        label={label}
        rows={rows}
        className="space-y-2 rounded-lg border border-border bg-background p-4"
      />
    </div>
  );
}
