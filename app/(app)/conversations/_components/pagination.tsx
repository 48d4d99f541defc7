import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { ConversationPage, ListTotal } from "@/lib/conversations/list";
import { type ListParams, listHref } from "@/lib/list-params";
import { PageSizeSelect } from "./list-toolbar";

const number = new Intl.NumberFormat("en-US");

/**
 * "1–50 of many": keyset paging never counts a large table's matching rows (an exact count(*) over
 * it on every page view is what this design avoids). The total is exact when it is all on one page
 * or the caller counted it (a small table), "about N" from the planner's estimate (unfiltered lists
 * of a large table), else "many".
 */
export function Pagination({
  params,
  page,
  total: known,
}: {
  params: ListParams;
  page: ConversationPage;
  total: ListTotal | null;
}) {
  const count = page.items.length;
  // The page number is a hint carried in the URL; a page with nothing before it is the first.
  const pageNumber = page.prev ? params.page : 1;
  const first = pageNumber ? (pageNumber - 1) * params.size + 1 : null;
  const total =
    !page.prev && !page.next
      ? number.format(count)
      : known !== null && first !== null && known.count >= first + count - 1
        ? `${known.exact ? "" : "about "}${number.format(known.count)}`
        : "many";
  const range = first !== null ? `${number.format(first)}–${number.format(first + count - 1)}` : `${count}`;
  return (
    <nav
      aria-label="Pagination"
      className="flex flex-wrap items-center justify-between gap-3 border-t border-border px-3 py-2 text-sm"
    >
      <p className="tabular-nums text-muted-foreground" data-testid="page-range">
        {count > 0 ? `${range} of ${total}` : "0 of 0"}
      </p>
      <div className="flex items-center gap-4">
        <PageSizeSelect params={params} />
        <div className="flex items-center gap-1">
          <PageLink
            href={
              page.prev &&
              listHref(params, {
                before: page.prev,
                after: undefined,
                page: pageNumber && pageNumber > 1 ? pageNumber - 1 : undefined,
              })
            }
          >
            <ChevronLeft aria-hidden />
            Previous
          </PageLink>
          <PageLink
            href={
              page.next &&
              listHref(params, {
                after: page.next,
                before: undefined,
                page: pageNumber ? pageNumber + 1 : undefined,
              })
            }
          >
            Next
            <ChevronRight aria-hidden />
          </PageLink>
        </div>
      </div>
    </nav>
  );
}

function PageLink({ href, children }: { href: string | null; children: React.ReactNode }) {
  const className = cn(buttonVariants({ variant: "outline", size: "sm" }));
  if (!href) {
    return (
      <button type="button" disabled className={className}>
        {children}
      </button>
    );
  }
  return (
    <Link href={href} className={className} scroll={false}>
      {children}
    </Link>
  );
}
