"use client";

import { TriangleAlert } from "lucide-react";
import { useEffect, useId, useRef } from "react";
import { CopyButton } from "@/components/copy-button";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * A credential shown this once (a new API key, a webhook's signing secret): focus moves to it so
 * keyboard and screen-reader users land on it, with Copy, until the admin presses Done.
 */
export function ShownOnce(props: {
  heading: string;
  /** The field's accessible name, e.g. "New API key". */
  label: string;
  value: string;
  copyLabel: string;
  children?: React.ReactNode;
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className="grid gap-3 rounded-lg border border-amber-300 bg-amber-50 p-5 dark:border-amber-800 dark:bg-amber-950 shadow-xs"
    >
      <h3 id={`${id}-heading`} ref={heading} tabIndex={-1} className="font-medium outline-none">
        {props.heading}
      </h3>
      <p className="flex items-start gap-2 text-sm text-amber-900 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        Copy this now and store it somewhere safe. It will not be shown again.
      </p>
      {props.children}
      <div className="flex max-w-2xl items-center gap-2">
        <Label htmlFor={`${id}-value`} className="sr-only">
          {props.label}
        </Label>
        <Input
          id={`${id}-value`}
          readOnly
          value={props.value}
          className="font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={props.value} label={props.copyLabel}>
          Copy
        </CopyButton>
      </div>
      <div>
        <Button type="button" onClick={props.onDone}>
          Done
        </Button>
      </div>
    </section>
  );
}
