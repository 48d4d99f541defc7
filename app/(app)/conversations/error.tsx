"use client";

import { LoadError } from "@/components/load-error";

export default function ConversationsError(props: { error: unknown; retry: () => void }) {
  return <LoadError title="Conversations could not be loaded" {...props} />;
}
