import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn";

// Shape and colours are classes in globals.css (.badge, .badge-<variant>): a list page shows a badge
// or two on each of its rows, and a class name is a few bytes where the utilities were a hundred.
export const badgeVariants = cva("badge", {
  variants: {
    variant: {
      default: "badge-default",
      outline: "badge-outline",
      muted: "badge-muted",
      info: "badge-info",
      success: "badge-success",
      warning: "badge-warning",
      danger: "badge-danger",
    },
  },
  defaultVariants: { variant: "default" },
});

export type BadgeProps = ComponentProps<"span"> & VariantProps<typeof badgeVariants>;

export function Badge({ className, variant, ...props }: BadgeProps) {
  return <span className={cn(badgeVariants({ variant }), className)} {...props} />;
}
