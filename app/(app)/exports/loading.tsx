import { SkeletonRows } from "@/components/skeleton-rows";

export default function Loading() {
  return (
    <div className="mx-auto max-w-screen-lg px-4 py-6 sm:px-6">
      <SkeletonRows
        label="Loading exports…"
        rows={6}
        className="space-y-2 rounded-lg border border-border bg-background p-4"
      />
    </div>
  );
}
