import { getDb } from "@/db/index";
import { exportAllowed } from "@/lib/auth/export-access";
import { requireViewer } from "@/lib/auth/viewer";
import { getPlayerData, listScreenRecordings } from "@/lib/recordings/queries";
import { RecordingPlayer } from "./recording-player";
import { ScreenRecordings } from "./screen-recordings";

/**
 * The recording media of a voice conversation on the Transcript tab: the player (when the viewer
 * may hear an available recording) and the screen recordings they may see. Recordings not yet
 * available show their fetch state elsewhere on the tab.
 */
export async function RecordingMediaSection({ conversationId }: { conversationId: string }) {
  const viewer = await requireViewer();
  const db = getDb();
  const [player, screens, downloadsAllowed] = await Promise.all([
    getPlayerData(db, viewer, conversationId),
    listScreenRecordings(db, viewer, conversationId),
    exportAllowed(db, viewer),
  ]);
  if (!player && screens.length === 0) return null;
  return (
    <div className="grid gap-3">
      {player && <RecordingPlayer data={player} downloadsAllowed={downloadsAllowed} />}
      <ScreenRecordings
        conversationId={conversationId}
        recordings={screens}
        downloadsAllowed={downloadsAllowed}
      />
    </div>
  );
}
