"use client";

import { RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * The body of an error.tsx boundary. Server errors arrive without details (they are in the server
 * log); the digest lets support find them.
 */
export function LoadError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-16 text-center" role="alert">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="text-sm text-muted-foreground">Something went wrong on our side. Please try again.</p>
      {digest && <p className="font-mono text-xs text-muted-foreground">Reference: {digest}</p>}
      <Button variant="outline" onClick={() => retry()}>
        <RotateCcw aria-hidden />
        Try again
      </Button>
    </div>
  );
}
