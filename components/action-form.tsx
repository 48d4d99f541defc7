"use client";

import { CircleAlert, CircleCheck } from "lucide-react";
import { type FormEvent, startTransition, useActionState, useEffect, useId, useRef } from "react";
import type { ActionResult, ServerAction } from "@/lib/auth/action";

/**
 * State and wiring for a form bound to a server action (lib/auth/action.ts). Submits through a
 * transition instead of React's form action so the form is not reset: what the user typed stays
 * when the server refuses it. `field(name)` links an input to the message `errorFor(name)` renders.
 */
export function useActionForm<I, T>(action: ServerAction<I, T>) {
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const id = useId();
  const form = useRef<HTMLFormElement>(null);

  // Keyboard and screen-reader users land on the first field the server refused.
  useEffect(() => {
    if (state && !state.ok) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  }

  const errorOf = (name: string) => (state && !state.ok ? state.fieldErrors?.[name] : undefined);
  const errorId = (name: string) => `${id}-${name}-error`;

  return {
    state,
    pending,
    formProps: { ref: form, action: dispatch, onSubmit },
    /** Props for the input named `name`; `hintId` is the id of its help text, if any. */
    field: (name: string, hintId?: string) => ({
      name,
      "aria-invalid": errorOf(name) ? true : undefined,
      "aria-describedby": [errorOf(name) && errorId(name), hintId].filter(Boolean).join(" ") || undefined,
    }),
    /** The field's error message, if the last submission had one (render next to the field). */
    errorFor: (name: string) => {
      const error = errorOf(name);
      return error ? (
        <p id={errorId(name)} className="text-sm text-destructive">
          {error}
        </p>
      ) : null;
    },
  };
}

/** The outcome of the last submission, announced to screen readers. */
export function FormMessage({ state, success }: { state: ActionResult<unknown> | null; success?: string }) {
  const message = state?.ok ? success : state?.error;
  return (
    <p aria-live="polite" className="text-sm empty:hidden">
      {message && (
        <span
          className={`inline-flex items-center gap-1.5 ${state?.ok ? "text-emerald-700" : "text-destructive"}`}
        >
          {state?.ok ? (
            <CircleCheck className="size-4" aria-hidden />
          ) : (
            <CircleAlert className="size-4" aria-hidden />
          )}
          {message}
        </span>
      )}
    </p>
  );
}
