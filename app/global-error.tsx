"use client";

import { LoadError } from "@/components/load-error";
import "./globals.css";

// Replaces the root layout when it fails, so it brings its own <html>, <body> and styles.
export default function GlobalError(props: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh bg-background font-sans text-foreground antialiased">
        <title>Parley</title>
        <LoadError title="Parley could not be loaded" {...props} />
      </body>
    </html>
  );
}
