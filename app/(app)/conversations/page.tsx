import { Inbox } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { getDb } from "@/db/index";
import { can } from "@/lib/auth/permissions";
import { requireViewer } from "@/lib/auth/viewer";
import { listConversations } from "@/lib/conversations/list";
import { ConversationsTable } from "./_components/conversations-table";

export const metadata: Metadata = { title: "Conversations" };

const PAGE_SIZE = 50;

export default async function ConversationsPage() {
  const viewer = await requireViewer();
  const conversations = await listConversations(getDb(), viewer, { limit: PAGE_SIZE });
  return (
    <div className="mx-auto max-w-screen-2xl px-4 py-6 sm:px-6">
      <PageHeader
        title="Conversations"
        description={
          can(viewer.role, "conversations:read-all")
            ? `The ${PAGE_SIZE} most recent conversations.`
            : `The ${PAGE_SIZE} most recent conversations you took part in.`
        }
      />
      <div className="rounded-lg border border-border bg-background shadow-xs">
        {conversations.length === 0 ? (
          <div className="flex flex-col items-center gap-2 px-4 py-16 text-center">
            <Inbox className="size-8 text-muted-foreground" aria-hidden />
            <p className="font-medium">No conversations yet</p>
            <p className="text-sm text-muted-foreground">Conversations appear here as soon as they start.</p>
          </div>
        ) : (
          <ConversationsTable conversations={conversations} />
        )}
      </div>
    </div>
  );
}
