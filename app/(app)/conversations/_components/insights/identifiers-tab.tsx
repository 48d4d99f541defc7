import { CopyButton } from "@/components/copy-button";
import type { ConversationDetail } from "@/lib/conversations/detail";
import { Field, FieldList } from "./field-list";

const LABELS: [keyof ConversationDetail["identifiers"], string][] = [
  ["callId", "Call ID"],
  ["sessionId", "Session ID"],
  ["channelUserId", "Channel User ID"],
  ["callConversationId", "Call Conversation ID"],
  ["agentConversationId", "Agent Conversation ID"],
  ["userId", "User ID"],
  ["campaignInstanceId", "Campaign Instance ID"],
];

export function IdentifiersTab({ detail }: { detail: ConversationDetail }) {
  return (
    <div className="grid gap-3">
      <div className="flex justify-end" data-testid="copy-all">
        <CopyButton text={detail.copyAllText} label="Copy all identifiers">
          Copy All
        </CopyButton>
      </div>
      <FieldList label="Identifiers">
        {LABELS.map(([key, label]) => {
          const value = detail.identifiers[key];
          return (
            <Field
              key={key}
              label={label}
              action={value && <CopyButton text={value} label={`Copy ${label}`} />}
            >
              {value && <span className="font-mono text-xs break-all">{value}</span>}
            </Field>
          );
        })}
      </FieldList>
    </div>
  );
}
