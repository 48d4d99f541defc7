"use client";

import { LoadError } from "@/components/load-error";

export default function AdminError(props: { error: unknown; retry: () => void }) {
  return <LoadError title="This page could not be loaded" {...props} />;
}
