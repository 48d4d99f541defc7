import { SkeletonRows } from "@/components/skeleton-rows";

export default function Loading() {
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <div className="mb-4 h-7 w-48 animate-pulse rounded bg-muted" />
      <SkeletonRows
        label="Loading conversations…"
        rows={10}
        className="space-y-2 rounded-lg border border-border bg-background p-4"
      />
    </div>
  );
}
