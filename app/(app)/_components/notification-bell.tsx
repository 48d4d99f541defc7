"use client";

import { Bell, CheckCheck } from "lucide-react";
import Link from "next/link";
import { startTransition, useEffect, useId, useState } from "react";
import { subscribeLive } from "@/components/live-events";
import { LocalTime } from "@/components/local-time";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import type { NotificationInbox } from "@/lib/notifications/index";
import {
  loadNotificationsAction,
  markNotificationsReadAction,
  setDispositionEmailsAction,
} from "./notification-actions";

/**
 * The notification center: a bell with the unread count, the latest notifications, mark read.
 * The live stream (/api/live) says when one arrives; the bell then reloads its own rows.
 */
export function NotificationBell({
  initial,
  dispositionEmails,
}: {
  initial: NotificationInbox;
  dispositionEmails: boolean;
}) {
  const [inbox, setInbox] = useState(initial);
  const [failed, setFailed] = useState(false);
  const emailId = useId();
  const [emails, setEmails] = useState(dispositionEmails);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const reload = () =>
      startTransition(async () => {
        const result = await loadNotificationsAction({});
        if (result.ok) setInbox(result.data);
        setFailed(!result.ok);
      });
    return subscribeLive({
      event: (event) => {
        // A resync means the stream dropped: something may have been missed.
        if (event.type === "resync" || (event.type === "user" && event.event.type === "notification"))
          reload();
      },
    });
  }, []);

  const markRead = (ids?: string[]) =>
    startTransition(async () => {
      const result = await markNotificationsReadAction(ids ? { ids } : {});
      if (result.ok) setInbox(result.data);
      setFailed(!result.ok);
    });

  const toggleEmails = (enabled: boolean) => {
    setEmails(enabled);
    startTransition(async () => {
      const result = await setDispositionEmailsAction({ enabled });
      if (!result.ok) setEmails(!enabled);
      setFailed(!result.ok);
    });
  };

  const { unread, items } = inbox;
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
          data-testid="notification-bell"
        >
          <Bell aria-hidden />
          {unread > 0 && (
            <span
              aria-hidden
              data-testid="unread-count"
              className="absolute -top-0.5 -right-0.5 flex min-w-4 items-center justify-center rounded-full bg-destructive px-1 text-[10px] leading-4 font-semibold text-white"
            >
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </Button>
      </PopoverTrigger>
      <PopoverContent aria-label="Notifications" className="w-96 max-w-[calc(100vw-2rem)]">
        <div className="flex items-center justify-between border-b border-border px-4 py-2">
          <h2 className="text-sm font-semibold">Notifications</h2>
          <Button variant="ghost" size="sm" disabled={unread === 0} onClick={() => markRead()}>
            <CheckCheck aria-hidden />
            Mark all as read
          </Button>
        </div>
        {failed && (
          <p role="alert" className="px-4 py-2 text-sm text-destructive">
            Could not update notifications. Please try again.
          </p>
        )}
        {items.length === 0 ? (
          <p className="px-4 py-8 text-center text-sm text-muted-foreground">No notifications yet.</p>
        ) : (
          <ul className="max-h-96 divide-y divide-border overflow-y-auto" aria-label="Latest notifications">
            {items.map((n) => (
              <li key={n.id} data-testid="notification" data-read={n.read}>
                <div className={cn("grid gap-0.5 px-4 py-3 text-sm", !n.read && "bg-primary/5")}>
                  <span className="flex items-center gap-2 font-medium">
                    {!n.read && (
                      <>
                        <span className="size-2 rounded-full bg-primary" aria-hidden />
                        <span className="sr-only">Unread:</span>
                      </>
                    )}
                    {n.link ? (
                      <Link
                        href={n.link}
                        className="hover:underline"
                        onClick={() => {
                          // The page changes under the popover: close it instead of leaving it open.
                          setOpen(false);
                          if (!n.read) markRead([n.id]);
                        }}
                      >
                        {n.title}
                      </Link>
                    ) : (
                      n.title
                    )}
                  </span>
                  <span className="text-muted-foreground">{n.body}</span>
                  <span className="flex items-center justify-between text-xs text-muted-foreground">
                    <LocalTime value={n.createdAt} />
                    {!n.read && (
                      <button
                        type="button"
                        className="rounded-sm underline outline-none focus-visible:ring-2 focus-visible:ring-ring"
                        onClick={() => markRead([n.id])}
                      >
                        Mark as read
                      </button>
                    )}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
        <div className="flex items-center gap-2 border-t border-border px-4 py-2 text-sm">
          <input
            id={emailId}
            type="checkbox"
            className="size-4 accent-primary"
            checked={emails}
            onChange={(e) => toggleEmails(e.currentTarget.checked)}
          />
          <label htmlFor={emailId}>Also e-mail me when a supervisor changes my disposition</label>
        </div>
      </PopoverContent>
    </Popover>
  );
}
