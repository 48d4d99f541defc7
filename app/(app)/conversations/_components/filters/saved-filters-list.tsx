"use client";

import { Copy, Pencil, Star, StarOff, Trash2, Users } from "lucide-react";
import Link from "next/link";
import { type ReactNode, useState, useTransition } from "react";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/auth/action";
import { FILTER_MESSAGES } from "@/lib/conversations/filter-messages";
import type { SavedFilter } from "@/lib/conversations/saved-filters";
import { filterHref, type ListParams } from "@/lib/list-params";
import { useToast } from "../toast";
import { deleteSavedFilterAction, duplicateSavedFilterAction, setDefaultFilterAction } from "./actions";
import { actionError, NameDialog } from "./name-dialog";

const NOT_YOURS = "Only the filter's owner or an admin can change it";

/**
 * The Filters tab: the viewer's saved filters and those shared with the team. Selecting a name
 * applies it; Edit, Duplicate, Mark as Default and Delete each confirm what they did.
 */
export function SavedFiltersList({
  filters,
  params,
  viewerId,
  onEdit,
  onApplied,
}: {
  filters: SavedFilter[];
  params: ListParams;
  viewerId: string;
  onEdit: (filter: SavedFilter) => void;
  onApplied: () => void;
}) {
  const toast = useToast();
  const [copying, setCopying] = useState<SavedFilter | null>(null);
  const [deleting, setDeleting] = useState<SavedFilter | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (call: () => Promise<ActionResult<unknown>>, message: string) =>
    startTransition(async () => {
      const result = await call();
      setError(actionError(result));
      if (result.ok) toast(message);
    });

  if (filters.length === 0)
    return (
      <p className="py-8 text-center text-sm text-muted-foreground">
        No saved filters yet. Build one in New Filter and choose Save &amp; Apply.
      </p>
    );
  return (
    <div className="grid gap-2">
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <ul className="grid divide-y divide-border rounded-md border border-border" aria-label="Saved filters">
        {filters.map((filter) => (
          <li
            key={filter.id}
            className="flex flex-wrap items-center gap-2 px-3 py-2"
            data-testid="saved-filter"
            data-filter-id={filter.id}
          >
            <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
              <Link
                href={filterHref(params, filter.filter, filter.id)}
                onClick={() => {
                  toast(FILTER_MESSAGES.applied);
                  onApplied();
                }}
                className="truncate font-medium underline-offset-4 hover:underline focus-visible:underline"
              >
                {filter.name}
              </Link>
              {filter.isDefault && <Badge variant="info">Default</Badge>}
              {filter.visibility === "shared" && (
                <Badge variant="muted">
                  <Users aria-hidden />
                  Shared
                </Badge>
              )}
              {filter.ownerId !== viewerId && (
                <span className="text-xs text-muted-foreground">by {filter.ownerName}</span>
              )}
            </div>
            <div className="flex flex-wrap gap-1">
              <ManageButton allowed={filter.canManage} onClick={() => onEdit(filter)}>
                <Pencil aria-hidden />
                Edit
              </ManageButton>
              <Button type="button" variant="ghost" size="sm" onClick={() => setCopying(filter)}>
                <Copy aria-hidden />
                Duplicate
              </Button>
              <Button
                type="button"
                variant="ghost"
                size="sm"
                disabled={pending}
                onClick={() =>
                  filter.isDefault
                    ? run(() => setDefaultFilterAction({ id: null }), FILTER_MESSAGES.unmarkedDefault)
                    : run(() => setDefaultFilterAction({ id: filter.id }), FILTER_MESSAGES.markedDefault)
                }
              >
                {filter.isDefault ? <StarOff aria-hidden /> : <Star aria-hidden />}
                {filter.isDefault ? "Remove Default" : "Mark as Default"}
              </Button>
              <ManageButton allowed={filter.canManage} onClick={() => setDeleting(filter)}>
                <Trash2 aria-hidden />
                Delete
              </ManageButton>
            </div>
          </li>
        ))}
      </ul>
      <NameDialog
        key={copying?.id}
        open={copying !== null}
        onOpenChange={(open) => !open && setCopying(null)}
        title="Rename Filter"
        description="The copy is saved as a private filter of yours."
        submitLabel="Save"
        initialName={copying ? `Copy of ${copying.name}`.slice(0, 80) : ""}
        onSubmit={async (name) => {
          const result = await duplicateSavedFilterAction({ id: copying?.id ?? "", name });
          if (result.ok) toast(FILTER_MESSAGES.duplicated);
          return result;
        }}
      />
      <Dialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <DialogContent role="alertdialog">
          <DialogTitle>Delete filter?</DialogTitle>
          <DialogDescription>
            “{deleting?.name}” will be deleted
            {deleting?.visibility === "shared" ? " for everyone on the team" : ""}. This cannot be undone.
          </DialogDescription>
          <div className="flex justify-end gap-2">
            <Button type="button" variant="outline" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button
              type="button"
              variant="destructive"
              disabled={pending}
              onClick={() => {
                const target = deleting;
                setDeleting(null);
                if (target) run(() => deleteSavedFilterAction({ id: target.id }), FILTER_MESSAGES.deleted);
              }}
            >
              Delete
            </Button>
          </div>
        </DialogContent>
      </Dialog>
    </div>
  );
}

/** Edit and Delete: shown to everyone, usable by the owner or an admin (the server checks it again). */
function ManageButton({
  allowed,
  onClick,
  children,
}: {
  allowed: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  const button = (
    <Button type="button" variant="ghost" size="sm" disabled={!allowed} onClick={onClick}>
      {children}
    </Button>
  );
  return allowed ? button : <DisabledWithReason reason={NOT_YOURS}>{button}</DisabledWithReason>;
}
