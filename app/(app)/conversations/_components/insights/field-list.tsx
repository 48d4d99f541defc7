import type { ReactNode } from "react";

/** A label/value list for the Details, User and Identifiers tabs; an empty value shows as "—". */
export function FieldList({ children, label }: { children: ReactNode; label: string }) {
  return (
    <dl className="grid text-sm" aria-label={label}>
      {children}
    </dl>
  );
}

export function Field({
  label,
  children,
  action,
}: {
  label: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  const empty = children === null || children === undefined || children === "" || children === false;
  return (
    <div
      className="grid grid-cols-[minmax(7rem,11rem)_1fr] items-start gap-x-4 border-b border-border py-2 last:border-b-0"
      data-testid={`field-${label}`}
    >
      <dt className="font-medium text-muted-foreground">{label}</dt>
      {/* The action sits inside the dd: a dl's groups may hold only dt and dd (axe: definition-list). */}
      <dd className="flex min-w-0 items-start justify-between gap-2">
        <span className="min-w-0 break-words">
          {empty ? <span className="text-muted-foreground">—</span> : children}
        </span>
        {action && !empty && <span className="-my-1 shrink-0">{action}</span>}
      </dd>
    </div>
  );
}

export function TagList({ tags }: { tags: { name: string; value: string }[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1.5">
      {tags.map((tag) => (
        <li
          key={`${tag.name}=${tag.value}`}
          className="rounded-full border border-border bg-muted px-2 py-0.5 text-xs"
        >
          <span className="text-muted-foreground">{tag.name}:</span> {tag.value}
        </li>
      ))}
    </ul>
  );
}
