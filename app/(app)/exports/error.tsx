"use client";

import { LoadError } from "@/components/load-error";

export default function ExportsError(props: { error: unknown; retry: () => void }) {
  return <LoadError title="Exports could not be loaded" {...props} />;
}
