"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";

export type NavItem = { href: string; label: string; allowed: boolean };

const itemClass = "rounded-md px-3 py-1.5 text-sm font-medium transition-colors";

/** Top navigation. Items the viewer's role does not allow stay visible but disabled, with the reason. */
export function AppNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex items-center gap-1 overflow-x-auto">
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
