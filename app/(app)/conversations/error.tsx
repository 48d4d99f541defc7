"use client";

import { RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";

// Server errors arrive without details (they are in the server log); the digest lets support find them.
export default function ConversationsError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-24 text-center" role="alert">
      <h1 className="text-xl font-semibold">Conversations could not be loaded</h1>
      <p className="text-sm text-muted-foreground">Something went wrong on our side. Please try again.</p>
      {digest && <p className="font-mono text-xs text-muted-foreground">Reference: {digest}</p>}
      <Button variant="outline" onClick={() => retry()}>
        <RotateCcw aria-hidden />
        Try again
      </Button>
    </div>
  );
}
