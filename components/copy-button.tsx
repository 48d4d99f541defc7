"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies `text` (`label` names an icon-only button); the button says "Copied" for a moment (announced to screen readers) or why it failed. */
export function CopyButton({ text, label, children }: { text: string; label: string; children?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  const status = state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : null;
  return (
    <Button
      type="button"
      variant={children ? "outline" : "ghost"}
      size="sm"
      onClick={copy}
      // Icon-only buttons are named by `label`; a labelled one keeps its visible text as its name.
      aria-label={status || children ? undefined : label}
      className={children ? undefined : "h-7 px-2"}
    >
      {state === "copied" ? <Check aria-hidden /> : <Copy aria-hidden />}
      <span aria-live="polite">{status ?? children ?? <span className="sr-only">{label}</span>}</span>
    </Button>
  );
}
