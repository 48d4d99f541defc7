"use client";

import { CheckCircle2 } from "lucide-react";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";

// A short confirmation ("User ID copied") in a polite live region, so screen readers hear it too.
const ToastContext = createContext<(message: string) => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<{ message: string; key: number } | null>(null);
  const show = useCallback((message: string) => setToast({ message, key: Date.now() }), []);
  useEffect(() => {
    if (!toast) return;
    // Long enough to read a sentence (the filter confirmations), short enough not to pile up.
    const timer = setTimeout(() => setToast(null), 5000);
    return () => clearTimeout(timer);
  }, [toast]);
  return (
    <ToastContext value={show}>
      {children}
      <div
        role="status"
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-6 z-50 flex justify-center px-4"
      >
        {toast && (
          <p
            key={toast.key}
            className="flex items-center gap-2 rounded-md bg-foreground px-3 py-2 text-sm text-background shadow-lg"
          >
            <CheckCircle2 className="size-4" aria-hidden />
            {toast.message}
          </p>
        )}
      </div>
    </ToastContext>
  );
}

export const useToast = () => useContext(ToastContext);
