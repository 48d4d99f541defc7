import { SkeletonRows } from "@/components/skeleton-rows";

export default function Loading() {
  return (
    <SkeletonRows
      label="Loading…"
      rows={8}
      className="space-y-2 rounded-lg border border-border bg-background p-4"
    />
  );
}
