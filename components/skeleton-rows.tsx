import { cn } from "@/components/ui/cn";

/** Placeholder rows while a page or panel loads, announced once to screen readers. */
export function SkeletonRows({
  label,
  rows,
  rowClassName = "h-9",
  className,
}: {
  label: string;
  rows: number;
  rowClassName?: string;
  className?: string;
}) {
  return (
    <div aria-busy="true" className={className}>
      <span className="sr-only" role="status">
        {label}
      </span>
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <div key={i} className={cn("animate-pulse rounded bg-muted", rowClassName)} />
      ))}
    </div>
  );
}
