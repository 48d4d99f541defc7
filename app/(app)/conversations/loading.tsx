export default function Loading() {
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6" aria-busy="true">
      <span className="sr-only" role="status">
        Loading conversations…
      </span>
      <div className="mb-4 h-7 w-48 animate-pulse rounded bg-muted" />
      <div className="space-y-2 rounded-lg border border-border bg-background p-4">
        {Array.from({ length: 10 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <div key={i} className="h-9 animate-pulse rounded bg-muted" />
        ))}
      </div>
    </div>
  );
}
