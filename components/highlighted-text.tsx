import type { Highlighted } from "@/lib/conversations/highlight";

/**
 * Text with a search's matches in <mark>: built from segments as React text nodes, so a message
 * that contains markup is shown as typed, never interpreted.
 */
export function HighlightedText({ segments }: { segments: Highlighted }) {
  let offset = 0;
  return (
    <>
      {segments.map((segment) => {
        const key = offset;
        offset += segment.text.length;
        return segment.match ? (
          <mark key={key} className="rounded-sm bg-yellow-200 px-0.5 text-foreground dark:bg-yellow-500/40">
            {segment.text}
          </mark>
        ) : (
          <span key={key}>{segment.text}</span>
        );
      })}
    </>
  );
}
