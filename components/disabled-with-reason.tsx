import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";

/**
 * A control the viewer may see but not use: rendered disabled, with the reason on hover and on
 * keyboard focus (the wrapper stays focusable, and takes the pointer events the disabled control
 * would swallow).
 */
export function DisabledWithReason({
  reason,
  children,
  className,
}: {
  reason: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <span
          // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so keyboard users get the reason
          tabIndex={0}
          className={cn(
            "inline-flex cursor-not-allowed rounded-md outline-none focus-visible:ring-2 focus-visible:ring-ring [&>*]:pointer-events-none",
            className,
          )}
        >
          {children}
        </span>
      </TooltipTrigger>
      <TooltipContent>{reason}</TooltipContent>
    </Tooltip>
  );
}

/**
 * A menu item the viewer may see but not use, with the reason on hover and keyboard focus. The item
 * itself stays in the menu's focus order (aria-disabled, selecting it does nothing): a wrapper around
 * a disabled item would put a non-item inside role="menu" (axe: aria-required-children).
 */
export function DisabledMenuItem({ reason, children }: { reason: string; children: ReactNode }) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <DropdownMenuItem
          aria-disabled="true"
          data-reason={reason}
          onSelect={(event) => event.preventDefault()}
          className="cursor-not-allowed text-muted-foreground data-[highlighted]:text-muted-foreground"
        >
          {children}
        </DropdownMenuItem>
      </TooltipTrigger>
      <TooltipContent side="left">{reason}</TooltipContent>
    </Tooltip>
  );
}
