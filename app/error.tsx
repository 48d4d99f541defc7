"use client";

import { LoadError } from "@/components/load-error";

// Catches sign-in and the app shell (app/(app)/layout.tsx: the viewer and notification queries),
// which the (app) boundary does not wrap.
export default function RootError(props: { error: unknown; retry: () => void }) {
  return <LoadError title="Parley could not be loaded" {...props} />;
}
