"use client";

import { LoadError } from "@/components/load-error";

// Catches what the sections without their own boundary throw (Monitor, Diagnostics, API docs).
export default function AppError(props: { error: unknown; retry: () => void }) {
  return <LoadError title="This page could not be loaded" {...props} />;
}
