"use client";

import { useRouter } from "next/navigation";
import { Component, type ReactNode, startTransition } from "react";
import { LoadError } from "./load-error";

// error.tsx covers a whole route segment; a part of a page (the conversation panel beside the list)
// needs its own boundary, so that its failure does not take the rest of the page with it.

type Props = { title: string; onRetry: () => void; children: ReactNode };

/** Next's own control flow (redirect, notFound, forbidden) is thrown too: its digest says so. */
const isNextSignal = (error: unknown) =>
  typeof error === "object" &&
  error !== null &&
  "digest" in error &&
  typeof error.digest === "string" &&
  error.digest.startsWith("NEXT_");

class Boundary extends Component<Props, { failed: boolean; error: unknown }> {
  state = { failed: false, error: null as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { failed: true, error };
  }

  render() {
    if (!this.state.failed) return this.props.children;
    if (isNextSignal(this.state.error)) throw this.state.error; // for Next's boundaries to handle
    return (
      <LoadError
        title={this.props.title}
        error={this.state.error}
        retry={() => {
          this.props.onRetry();
          this.setState({ failed: false, error: null });
        }}
      />
    );
  }
}

/** Shows a part of a page's failure in its place, with "Try again" (which re-fetches it). */
export function SectionErrorBoundary({ title, children }: { title: string; children: ReactNode }) {
  const router = useRouter();
  return (
    <Boundary title={title} onRetry={() => startTransition(() => router.refresh())}>
      {children}
    </Boundary>
  );
}
