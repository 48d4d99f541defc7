import type { ConversationDetail } from "@/lib/conversations/detail";
import { Field, FieldList, TagList } from "./field-list";

/** With customer info obscured the server sent no phone or e-mail: the internal User ID stands in. */
function Contact({ value, user }: { value: string | null; user: ConversationDetail["user"] }) {
  if (!user.obscured) return value;
  if (!user.userId) return null;
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-2">
      <span className="font-mono">User ID {user.userId}</span>
      <span className="text-xs text-muted-foreground">
        Hidden by the admin's Obscure customer info setting
      </span>
    </span>
  );
}

export function UserTab({ user }: { user: ConversationDetail["user"] }) {
  return (
    <FieldList label="User">
      <Field label="Customer Phone">
        <Contact value={user.phone} user={user} />
      </Field>
      <Field label="Customer Name">{user.name}</Field>
      <Field label="Customer Email">
        <Contact value={user.email} user={user} />
      </Field>
      <Field label="Channel User ID">
        {user.channelUserId && <span className="font-mono">{user.channelUserId}</span>}
      </Field>
      <Field label="User ID">{user.userId && <span className="font-mono">{user.userId}</span>}</Field>
      <Field label="User-level tags">{user.userTags.length > 0 && <TagList tags={user.userTags} />}</Field>
    </FieldList>
  );
}
