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
        // <mark> is styled in globals.css: snippets repeat it on every row of a search.
        return segment.match ? <mark key={key}>{segment.text}</mark> : <span key={key}>{segment.text}</span>;
      })}
    </>
  );
}
