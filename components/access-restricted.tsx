import { Lock } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";

/** What a signed-in user sees on a page their role does not allow (checked on the server). */
export function AccessRestricted({ what = "this page" }: { what?: string }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-24 text-center">
      <div className="flex size-12 items-center justify-center rounded-full bg-muted text-muted-foreground">
        <Lock className="size-5" aria-hidden />
      </div>
      <h1 className="text-xl font-semibold">Access restricted</h1>
      <p className="text-sm text-muted-foreground">
        Your role does not give access to {what}. Ask an administrator if you need it.
      </p>
      <Button asChild variant="outline">
        <Link href="/conversations">Go to Conversations</Link>
      </Button>
    </div>
  );
}
