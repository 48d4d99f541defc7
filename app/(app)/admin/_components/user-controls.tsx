"use client";

import { useState } from "react";
import { FormMessage, useActionForm } from "@/components/action-form";
import { ConfirmActions, useConfirmStep } from "@/components/confirm-step";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/input";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";
import { changeRoleAction, setUserActiveAction } from "../actions";

type User = { id: string; name: string; role: Role; active: boolean };

const roleOptions = ROLES.map((role) => (
  <option key={role} value={role}>
    {ROLE_LABELS[role]}
  </option>
));

/**
 * The role picker: a change applies when saved, not on every arrow key. The page mounts it with
 * key={role}, so it starts over once the saved role comes back from the server.
 */
export function RoleForm({ user, disabledReason }: { user: User; disabledReason?: string }) {
  const { state, pending, formProps } = useActionForm(changeRoleAction);
  const [role, setRole] = useState(user.role);
  const label = `Role of ${user.name}`;
  if (disabledReason) {
    return (
      <DisabledWithReason reason={disabledReason}>
        <NativeSelect aria-label={label} defaultValue={user.role} disabled>
          {roleOptions}
        </NativeSelect>
      </DisabledWithReason>
    );
  }
  return (
    <form {...formProps} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={user.id} />
      <NativeSelect
        name="role"
        aria-label={label}
        value={role}
        onChange={(event) => setRole(event.currentTarget.value as Role)}
      >
        {roleOptions}
      </NativeSelect>
      {role !== user.role && (
        <Button type="submit" size="sm" disabled={pending} aria-label={`Save role of ${user.name}`}>
          Save
        </Button>
      )}
      <FormMessage state={state} />
    </form>
  );
}

/**
 * Deactivate (signs the user out on their next request), confirmed in place like revoking an API
 * key; or reactivate, at once.
 */
export function ActiveForm({ user, disabledReason }: { user: User; disabledReason?: string }) {
  const { state, pending, formProps } = useActionForm(setUserActiveAction);
  const step = useConfirmStep();
  const label = user.active ? "Deactivate" : "Reactivate";
  const button = (
    <Button
      ref={step.askRef}
      type={user.active ? "button" : "submit"}
      size="sm"
      variant={user.active ? "outline" : "secondary"}
      disabled={pending || Boolean(disabledReason)}
      aria-label={`${label} ${user.name}`}
      onClick={user.active ? step.ask : undefined}
    >
      {label}
    </Button>
  );
  if (disabledReason) return <DisabledWithReason reason={disabledReason}>{button}</DisabledWithReason>;
  return (
    <form {...formProps} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="userId" value={user.id} />
      <input type="hidden" name="active" value={String(!user.active)} />
      {step.confirming ? (
        <ConfirmActions
          question={`Deactivate ${user.name}? They are signed out on their next request.`}
          confirm="Deactivate user"
          pending={pending}
          step={step}
        />
      ) : (
        button
      )}
      <FormMessage state={state} />
    </form>
  );
}
