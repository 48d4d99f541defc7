"use client";

import { Menu } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";

export type NavItem = { href: string; label: string; allowed: boolean };

const itemClass = "rounded-md px-3 py-1.5 text-sm font-medium transition-colors";

/** Top navigation. Items the viewer's role does not allow stay visible but disabled, with the reason. */
export function AppNav({ items, className }: { items: NavItem[]; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={cn("flex items-center gap-1 overflow-x-auto", className)}>
      {items.map((item) => {
        if (!item.allowed) {
          return (
            <Tooltip key={item.href}>
              <TooltipTrigger asChild>
                {/* aria-disabled rather than disabled: it stays focusable, so keyboard users get the reason. */}
                <button
                  type="button"
                  aria-disabled="true"
                  className={cn(
                    itemClass,
                    "cursor-not-allowed text-muted-foreground/60 outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  )}
                >
                  {item.label}
                </button>
              </TooltipTrigger>
              <TooltipContent>Access restricted</TooltipContent>
            </Tooltip>
          );
        }
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              itemClass,
              "outline-none focus-visible:ring-2 focus-visible:ring-ring",
              active
                ? "bg-accent text-foreground"
                : "text-muted-foreground hover:bg-accent hover:text-foreground",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}

/** Below the sm breakpoint (a phone): the navigation behind a menu button, in a dialog. */
export function MobileNav({ items }: { items: NavItem[] }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // Following a link closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page changes
  useEffect(() => setOpen(false), [pathname]);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="sm:hidden" aria-label="Menu">
          <Menu aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent className="top-4 translate-y-0">
        <DialogTitle>Menu</DialogTitle>
        <DialogDescription className="sr-only">Go to another part of Parley.</DialogDescription>
        <AppNav items={items} className="flex-col items-stretch [&>*]:py-2.5 [&>*]:text-left" />
      </DialogContent>
    </Dialog>
  );
}
