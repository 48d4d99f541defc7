"use client";

import { CircleAlert, CircleCheck, Clock, Headphones, ListOrdered, UserPlus } from "lucide-react";
import { type ReactNode, useId, useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/input";
import type { ServerAction } from "@/lib/auth/action";
import type { PlatformActionView } from "@/lib/platform/actions";
import { assignConversationAction, changeQueueAction, joinConversationAction } from "../actions";

type Option = { id: string; name: string };

export type SupervisorActionsProps = {
  conversationId: string;
  customerLabel: string;
  currentQueue: string | null;
  actions: PlatformActionView[];
  agents: Option[];
  queues: Option[];
  /** Why the viewer may not act (agents), or null when they may. */
  restrictedReason: string | null;
  /** The viewer is on the conversation, or their Join is on its way: Join is not offered again. */
  joinState: "joined" | "requested" | null;
};

/** Join Conversation, Assign and Change Queue for the selected conversation, and how each went. */
export function SupervisorActions(props: SupervisorActionsProps) {
  const { conversationId, restrictedReason } = props;
  return (
    <section
      aria-labelledby="supervisor-actions-title"
      className="grid gap-4 rounded-lg border border-border bg-background p-4 shadow-xs"
      data-testid="supervisor-actions"
    >
      <header>
        <h2 id="supervisor-actions-title" className="font-semibold">
          Supervisor actions
        </h2>
        <p className="text-sm text-muted-foreground">{props.customerLabel}</p>
      </header>
      {restrictedReason ? (
        <div className="flex flex-wrap gap-2">
          {["Join Conversation", "Assign", "Change Queue"].map((label) => (
            <DisabledWithReason key={label} reason={restrictedReason}>
              <Button variant="outline" size="sm" disabled>
                {label}
              </Button>
            </DisabledWithReason>
          ))}
        </div>
      ) : (
        <div className="grid gap-4">
          <JoinForm conversationId={conversationId} joinState={props.joinState} />
          <TargetForm
            conversationId={conversationId}
            action={assignConversationAction}
            field="agentId"
            label="Assign to agent"
            placeholder="Choose an agent…"
            empty="No agents yet"
            options={props.agents}
            submit={
              <>
                <UserPlus aria-hidden />
                Assign
              </>
            }
            success="Assignment requested"
          />
          <TargetForm
            conversationId={conversationId}
            action={changeQueueAction}
            field="queueId"
            label={
              <>
                Move to queue
                {props.currentQueue && (
                  <span className="font-normal text-muted-foreground"> (now {props.currentQueue})</span>
                )}
              </>
            }
            placeholder="Choose a queue…"
            empty="No queues yet"
            options={props.queues}
            submit={
              <>
                <ListOrdered aria-hidden />
                Change Queue
              </>
            }
            success="Queue change requested"
          />
        </div>
      )}
      <ActionLog actions={props.actions} />
    </section>
  );
}

function JoinForm({
  conversationId,
  joinState,
}: {
  conversationId: string;
  joinState: SupervisorActionsProps["joinState"];
}) {
  const { state, pending, formProps } = useActionForm(joinConversationAction);
  if (joinState) {
    return (
      <p className="flex items-center gap-2 text-sm" role="status" data-testid="join-state">
        <Headphones aria-hidden className="size-4 text-muted-foreground" />
        {joinState === "joined"
          ? "You have joined this conversation."
          : "Join requested: waiting for the platform to connect you."}
      </p>
    );
  }
  return (
    <form {...formProps} className="grid gap-1">
      <input type="hidden" name="conversationId" value={conversationId} />
      <div>
        <Button type="submit" size="sm" disabled={pending}>
          <Headphones aria-hidden />
          Join Conversation
        </Button>
      </div>
      <FormMessage state={state} success="Join requested" />
    </form>
  );
}

/** Assign and Change Queue: pick a target, then request the action for it. */
function TargetForm({
  conversationId,
  action,
  field: name,
  label,
  placeholder,
  empty,
  options,
  submit,
  success,
}: {
  conversationId: string;
  action: typeof assignConversationAction | typeof changeQueueAction;
  field: "agentId" | "queueId";
  label: ReactNode;
  placeholder: string;
  /** Said instead of a select with nothing to choose. */
  empty: string;
  options: Option[];
  submit: ReactNode;
  success: string;
}) {
  const { state, pending, formProps, field, errorFor } = useActionForm(
    action as ServerAction<Record<string, string>, unknown>,
  );
  const [value, setValue] = useState("");
  const id = useId();
  if (options.length === 0) {
    return (
      <div className="grid gap-1">
        <span className="text-sm font-medium">{label}</span>
        <p className="text-sm text-muted-foreground">{empty}</p>
      </div>
    );
  }
  return (
    <form {...formProps} className="grid gap-1">
      <input type="hidden" name="conversationId" value={conversationId} />
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <NativeSelect
          id={id}
          {...field(name)}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          className="max-w-64"
        >
          <option value="">{placeholder}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </NativeSelect>
        <Button type="submit" size="sm" variant="outline" disabled={pending || !value}>
          {submit}
        </Button>
      </div>
      {errorFor(name)}
      <FormMessage state={state} success={success} />
    </form>
  );
}

const STATUS: Record<PlatformActionView["status"], { label: string; hint: string }> = {
  pending: { label: "Pending", hint: "Being sent to the contact-center platform" },
  sent: { label: "Pending", hint: "Sent; waiting for the platform to confirm" },
  confirmed: { label: "Confirmed", hint: "The platform carried it out" },
  failed: { label: "Failed", hint: "The platform did not carry it out" },
};

function ActionLog({ actions }: { actions: PlatformActionView[] }) {
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-medium">Requested actions</h3>
      {actions.length === 0 ? (
        <p className="text-sm text-muted-foreground">No actions yet.</p>
      ) : (
        <ul className="grid gap-2" aria-live="polite">
          {actions.map((a) => {
            const status = STATUS[a.status];
            return (
              <li
                key={a.id}
                data-testid="platform-action"
                data-status={a.status}
                className="grid gap-0.5 rounded-md border border-border px-3 py-2 text-sm"
              >
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">
                    {a.label}
                    {a.target && <span className="font-normal"> → {a.target}</span>}
                  </span>
                  <Badge
                    variant={
                      a.status === "confirmed" ? "success" : a.status === "failed" ? "danger" : "warning"
                    }
                    title={status.hint}
                  >
                    {a.status === "confirmed" ? (
                      <CircleCheck aria-hidden />
                    ) : a.status === "failed" ? (
                      <CircleAlert aria-hidden />
                    ) : (
                      <Clock aria-hidden />
                    )}
                    {status.label}
                  </Badge>
                </span>
                <span className="text-xs text-muted-foreground">
                  {a.requestedBy} · <LocalTime value={a.createdAt} />
                  {a.status === "failed" && a.error && <> · {a.error}</>}
                  {(a.status === "pending" || a.status === "sent") && <> · {status.hint}</>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
