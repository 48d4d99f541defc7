import type { ReactNode } from "react";
import { ToastProvider } from "./_components/toast";

// The toast lives above the page: applying a filter navigates, the page shows its loading state and
// re-renders, and the confirmation must outlast that.
export default function ConversationsLayout({ children }: { children: ReactNode }) {
  return <ToastProvider>{children}</ToastProvider>;
}
