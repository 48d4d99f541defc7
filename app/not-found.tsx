import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    // Not <main>: inside the app shell this renders within its <main> (one main landmark per page).
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 px-4 py-24 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-muted-foreground">There is nothing at this address.</p>
      <Button asChild variant="outline">
        <Link href="/conversations">Go to Conversations</Link>
      </Button>
    </div>
  );
}
