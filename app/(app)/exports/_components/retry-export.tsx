"use client";

import { Loader2, RotateCcw } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useExportDownloads } from "../../_components/export-downloads";
import { retryExportAction } from "../actions";

/** Retry on a failed export: runs it again, and the file downloads when it is ready. */
export function RetryExport({ id, fileName }: { id: string; fileName: string }) {
  const exports = useExportDownloads();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      size="sm"
      variant="outline"
      disabled={busy}
      aria-label={`Retry ${fileName}`}
      onClick={async () => {
        setBusy(true);
        await exports.start(retryExportAction({ id }));
        setBusy(false);
      }}
    >
      {busy ? <Loader2 className="animate-spin" aria-hidden /> : <RotateCcw aria-hidden />}
      Retry
    </Button>
  );
}
