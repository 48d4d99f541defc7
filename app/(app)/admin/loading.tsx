export default function Loading() {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        Loading…
      </span>
      <div className="space-y-2 rounded-lg border border-border bg-background p-4">
        {Array.from({ length: 8 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <div key={i} className="h-9 animate-pulse rounded bg-muted" />
        ))}
      </div>
    </div>
  );
}
