"use client";

import { FastForward, Pause, Play, Rewind, Volume2, VolumeX } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { DisabledWithReason } from "@/components/disabled-with-reason";
import { Button } from "@/components/ui/button";
import { Slider } from "@/components/ui/slider";
import { EXPORT_RESTRICTED } from "@/lib/exports/kinds";
import type { Peaks } from "@/lib/recordings/media";
import type { PlayerData } from "@/lib/recordings/queries";
import { PLAYBACK_FAILED, RECORDING_STATE_MESSAGES } from "@/lib/recordings/states";
import { formatClock, recordingClock } from "@/lib/recordings/timeline";
import { usePlayerLink } from "./player-context";
import { recordPlaybackAction } from "./recording-actions";
import { RecordingDownloads } from "./recording-downloads";

// The call recording player (spec: "Call Recording"): waveform from the worker's peaks, play/pause,
// speed, volume, mute, rewind/forward 10 s, total duration before playback and elapsed/countdown
// during it. The audio is the merged FLAC, streamed with range requests.

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
const SKIP_MS = 10_000;
const BARS = 160;
const POLL_MS = 2000;

// The spec's recording messages this component can reach (the fetch states are shown elsewhere).
const MEDIA_IN_PROGRESS = RECORDING_STATE_MESSAGES.media_in_progress;
const MEDIA_FAILED = RECORDING_STATE_MESSAGES.failed;

type Media = { status: "loading" | "preparing" | "failed" } | { status: "ready"; peaks: Peaks };

function usePeaks(conversationId: string): Media {
  const [media, setMedia] = useState<Media>({ status: "loading" });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const res = await fetch(`/api/conversations/${conversationId}/recording/peaks`, {
          cache: "no-store",
        });
        const body = res.ok ? ((await res.json()) as Media) : { status: "failed" as const };
        if (stopped) return;
        setMedia(body);
        if (body.status === "preparing") timer = setTimeout(load, POLL_MS);
      } catch {
        if (!stopped) timer = setTimeout(load, POLL_MS * 2); // offline for a moment: try again
      }
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [conversationId]);
  return media;
}

/** `downloadsAllowed`: the admin's export and download switch (the Download menu is inactive without it). */
export function RecordingPlayer({ data, downloadsAllowed }: { data: PlayerData; downloadsAllowed: boolean }) {
  const media = usePeaks(data.conversationId);
  return (
    <section
      aria-label="Call recording"
      className="grid gap-2 rounded-md border p-3"
      data-testid="recording-player"
    >
      {media.status === "ready" ? (
        <ReadyPlayer data={data} peaks={media.peaks} downloadsAllowed={downloadsAllowed} />
      ) : media.status === "loading" ? (
        <div className="h-24 animate-pulse rounded bg-muted" aria-hidden />
      ) : (
        <p role="status" className="text-sm text-muted-foreground">
          {media.status === "preparing" ? MEDIA_IN_PROGRESS : MEDIA_FAILED}
        </p>
      )}
    </section>
  );
}

function ReadyPlayer({
  data,
  peaks,
  downloadsAllowed,
}: {
  data: PlayerData;
  peaks: Peaks;
  downloadsAllowed: boolean;
}) {
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const [started, setStarted] = useState(false);
  const [positionMs, setPositionMs] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [volume, setVolume] = useState(1);
  const [muted, setMuted] = useState(false);
  const [failed, setFailed] = useState(false);
  const durationMs = peaks.durationMs;
  // A play() refused by the browser or a stream that breaks says so; a play() cut short by a
  // pause or a seek (AbortError) is not a failure.
  const play = useCallback(() => {
    setFailed(false);
    void audio.current?.play().catch((error: unknown) => {
      if (!(error instanceof DOMException && error.name === "AbortError")) setFailed(true);
    });
  }, []);
  const start = useMemo(() => new Date(data.startedAt).getTime(), [data.startedAt]);
  const clock = useMemo(
    () => recordingClock(data.pausedSpans, data.spansCut),
    [data.pausedSpans, data.spansCut],
  );
  const link = usePlayerLink();

  const seekTo = useCallback(
    (ms: number) => {
      const el = audio.current;
      if (!el) return;
      const next = Math.max(0, Math.min(durationMs, ms));
      el.currentTime = next / 1000;
      setPositionMs(next);
      setStarted(true);
    },
    [durationMs],
  );

  // Transcript lines seek (and start playing) through the shared link.
  useEffect(() => {
    link?.register((at: Date) => {
      seekTo(clock.toAudio(at.getTime() - start));
      play();
    });
    return () => link?.register(null);
  }, [link?.register, seekTo, clock, start, link, play]);

  useEffect(() => {
    link?.setHearing(playing ? new Date(start + clock.toCall(positionMs)) : null);
  }, [link, playing, positionMs, start, clock]);

  const toggle = () => {
    const el = audio.current;
    if (!el) return;
    if (el.paused) play();
    else el.pause();
  };

  const elapsed = formatClock(positionMs);
  const remaining = formatClock(durationMs - positionMs);

  return (
    <>
      {/* biome-ignore lint/a11y/useMediaCaption: call audio has the transcript beside it */}
      <audio
        ref={audio}
        // The stream is the whole recording: the admin's download switch withholds it too.
        src={downloadsAllowed ? `/api/conversations/${data.conversationId}/recording/audio` : undefined}
        preload="metadata"
        data-testid="recording-audio"
        onPlay={() => {
          setPlaying(true);
          setStarted(true);
          // The access log notes playback (the server keeps one entry per few minutes); not awaited.
          if (!started) void recordPlaybackAction({ conversationId: data.conversationId }).catch(() => {});
        }}
        onPause={() => setPlaying(false)}
        onError={() => setFailed(true)}
        onEnded={() => setPlaying(false)}
        onTimeUpdate={(e) => setPositionMs(Math.round(e.currentTarget.currentTime * 1000))}
        onSeeked={(e) => setPositionMs(Math.round(e.currentTarget.currentTime * 1000))}
      />
      <Waveform peaks={peaks} data={data} positionMs={positionMs} onSeek={seekTo} />
      <TimeAxis durationMs={durationMs} />
      <WaveformLegend hasPauses={data.pausedSpans.length > 0} />
      {failed && (
        <p role="alert" className="text-sm text-destructive">
          {PLAYBACK_FAILED}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label="Rewind 10 seconds"
          onClick={() => seekTo(positionMs - SKIP_MS)}
        >
          <Rewind aria-hidden />
        </Button>
        {downloadsAllowed ? (
          <Button type="button" size="icon" aria-label={playing ? "Pause" : "Play"} onClick={toggle}>
            {playing ? <Pause aria-hidden /> : <Play aria-hidden />}
          </Button>
        ) : (
          <DisabledWithReason reason={EXPORT_RESTRICTED}>
            <Button type="button" size="icon" aria-label="Play" disabled>
              <Play aria-hidden />
            </Button>
          </DisabledWithReason>
        )}
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label="Forward 10 seconds"
          onClick={() => seekTo(positionMs + SKIP_MS)}
        >
          <FastForward aria-hidden />
        </Button>
        {/* A fixed width for the longest text ("1:02:03 / -1:02:03"): starting playback swaps the
            total for elapsed / remaining without moving or re-wrapping the controls after it. */}
        <div
          className="w-[18ch] whitespace-nowrap text-xs tabular-nums text-muted-foreground"
          aria-live="off"
          data-testid="recording-clock"
        >
          {started ? (
            <span className="flex gap-2">
              <span className="sr-only">Elapsed</span>
              <span data-testid="recording-elapsed">{elapsed}</span>
              <span aria-hidden>/</span>
              <span className="sr-only">Remaining</span>
              <span data-testid="recording-remaining">-{remaining}</span>
            </span>
          ) : (
            <span>
              <span className="sr-only">Duration </span>
              <span data-testid="recording-total">{formatClock(durationMs)}</span>
            </span>
          )}
        </div>
        <span className="flex-1" />
        <label className="flex items-center gap-1 text-xs text-muted-foreground">
          Speed
          <select
            aria-label="Playback speed"
            className="h-8 rounded-md border bg-background px-1 text-xs text-foreground"
            value={speed}
            onChange={(e) => {
              const next = Number(e.target.value);
              setSpeed(next);
              if (audio.current) audio.current.playbackRate = next;
            }}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label="Mute"
          aria-pressed={muted}
          onClick={() => {
            setMuted(!muted);
            if (audio.current) audio.current.muted = !muted;
          }}
        >
          {muted ? <VolumeX aria-hidden /> : <Volume2 aria-hidden />}
        </Button>
        <Slider
          aria-label="Volume"
          className="w-24"
          min={0}
          max={100}
          step={5}
          value={[Math.round(volume * 100)]}
          onValueChange={([v = 100]) => {
            setVolume(v / 100);
            if (audio.current) audio.current.volume = v / 100;
          }}
        />
        <RecordingDownloads
          conversationId={data.conversationId}
          legs={data.legs}
          allowed={downloadsAllowed}
        />
      </div>
    </>
  );
}

/**
 * The waveform's colours, each at least 3:1 against the panel's background in the light and the
 * dark theme (WCAG 1.4.11, checked in the browser by the player's e2e spec): solid colours, with
 * the played part a deeper shade rather than the unplayed part faded.
 */
const WAVEFORM_COLORS = {
  customer: "fill-sky-600 dark:fill-sky-500",
  customerPlayed: "fill-sky-800 dark:fill-sky-300",
  agent: "fill-emerald-600 dark:fill-emerald-500",
  agentPlayed: "fill-emerald-800 dark:fill-emerald-300",
  pauseLine: "stroke-amber-600 dark:stroke-amber-400",
} as const;

/** Latency marks above the waveform: the spec's End-to-End latency, by how long the answer took. */
const LATENCY_MARKS = {
  ok: { fill: "fill-violet-600 dark:fill-violet-400", label: "up to 1 s" },
  slow: { fill: "fill-amber-600 dark:fill-amber-400", label: "1–2 s" },
  slowest: { fill: "fill-red-600 dark:fill-red-400", label: "over 2 s" },
} as const;

function latencyLevel(e2eMs: number): keyof typeof LATENCY_MARKS {
  return e2eMs > 2000 ? "slowest" : e2eMs > 1000 ? "slow" : "ok";
}

/** Ticks every 1/2/5/10/15/30 s or minutes, at most six along the recording. */
function axisTicks(durationMs: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);
  const step = steps.find((s) => durationMs / s <= 6) ?? 3_600_000;
  const ticks: number[] = [];
  for (let t = 0; t <= durationMs; t += step) ticks.push(t);
  return ticks;
}

/** The time axis under the waveform, in the recording's own time (as the clock beside Play). */
function TimeAxis({ durationMs }: { durationMs: number }) {
  const D = Math.max(1, durationMs);
  return (
    <div
      className="relative h-4 text-[11px] tabular-nums text-muted-foreground"
      data-testid="waveform-axis"
      aria-hidden
    >
      {axisTicks(durationMs).map((t) => {
        const pct = (t / D) * 100;
        // Labels stay inside the player: the first starts at its tick, one near the end ends at it.
        const shift = t === 0 ? "" : pct > 92 ? "-translate-x-full" : "-translate-x-1/2";
        return (
          <span
            key={t}
            className={`absolute top-0 border-l border-border pl-0.5 ${shift}`}
            style={{ left: `${pct}%` }}
            data-testid="waveform-tick"
          >
            {formatClock(t)}
          </span>
        );
      })}
    </div>
  );
}

function Swatch({ className }: { className: string }) {
  return (
    <svg viewBox="0 0 10 10" className="size-2.5 shrink-0" aria-hidden>
      <rect width="10" height="10" rx="2" className={className} />
    </svg>
  );
}

/** What the colours mean: the customer above the line, the agent (and assistant) below, latency marks on top. */
function WaveformLegend({ hasPauses }: { hasPauses: boolean }) {
  return (
    <ul
      className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground"
      data-testid="waveform-legend"
    >
      <li className="inline-flex items-center gap-1">
        <Swatch className={WAVEFORM_COLORS.customer} />
        Customer (above the line)
      </li>
      <li className="inline-flex items-center gap-1">
        <Swatch className={WAVEFORM_COLORS.agent} />
        Agent (below the line)
      </li>
      <li className="inline-flex flex-wrap items-center gap-1" data-testid="legend-latency">
        <span>End-to-End latency marks (top):</span>
        {Object.values(LATENCY_MARKS).map((m) => (
          <span key={m.label} className="inline-flex items-center gap-1">
            <Swatch className={m.fill} />
            {m.label}
          </span>
        ))}
      </li>
      {hasPauses && (
        <li className="inline-flex items-center gap-1">
          <Swatch className="fill-amber-500/30" />
          Hold or paused: not recorded
        </li>
      )}
    </ul>
  );
}

/** Bars of the loudest sample per slice: the customer above the line, the other legs below it. */
function bars(peaks: Peaks): { up: number[]; down: number[] } {
  const up = new Array<number>(BARS).fill(0);
  const down = new Array<number>(BARS).fill(0);
  for (const leg of peaks.legs) {
    const side = leg.label === "customer" ? up : down;
    const perBar = leg.peaks.length / BARS;
    for (let b = 0; b < BARS; b++) {
      const from = Math.floor(b * perBar);
      const to = Math.max(from + 1, Math.floor((b + 1) * perBar));
      for (let i = from; i < to && i < leg.peaks.length; i++)
        side[b] = Math.max(side[b] ?? 0, leg.peaks[i] ?? 0);
    }
  }
  return { up, down };
}

function Waveform({
  peaks,
  data,
  positionMs,
  onSeek,
}: {
  peaks: Peaks;
  data: PlayerData;
  positionMs: number;
  onSeek: (ms: number) => void;
}) {
  const { up, down } = useMemo(() => bars(peaks), [peaks]);
  const clock = useMemo(
    () => recordingClock(data.pausedSpans, data.spansCut),
    [data.pausedSpans, data.spansCut],
  );
  const D = Math.max(1, peaks.durationMs);
  const x = (audioMs: number) => (Math.max(0, Math.min(D, audioMs)) / D) * BARS;
  const played = x(positionMs);
  const seekFromPointer = (e: React.PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    onSeek(((e.clientX - rect.left) / rect.width) * D);
  };
  const onKey = (e: React.KeyboardEvent) => {
    const step = { ArrowLeft: -5000, ArrowRight: 5000, PageDown: -SKIP_MS, PageUp: SKIP_MS }[e.key];
    if (step !== undefined) onSeek(positionMs + step);
    else if (e.key === "Home") onSeek(0);
    else if (e.key === "End") onSeek(D);
    else return;
    e.preventDefault();
  };
  return (
    <div
      role="slider"
      tabIndex={0}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(D / 1000)}
      aria-valuenow={Math.round(positionMs / 1000)}
      aria-valuetext={`${formatClock(positionMs)} of ${formatClock(D)}`}
      onPointerDown={seekFromPointer}
      onKeyDown={onKey}
      className="relative h-20 cursor-pointer rounded outline-none focus-visible:ring-2 focus-visible:ring-ring"
      data-testid="recording-waveform"
    >
      <svg viewBox={`0 0 ${BARS} 100`} preserveAspectRatio="none" className="size-full" aria-hidden>
        {data.pausedSpans.map((s) =>
          data.spansCut ? (
            <line
              key={`p${s.startMs}`}
              x1={x(clock.toAudio(s.startMs))}
              x2={x(clock.toAudio(s.startMs))}
              y1={0}
              y2={100}
              className={WAVEFORM_COLORS.pauseLine}
              strokeDasharray="3 3"
              vectorEffect="non-scaling-stroke"
            >
              <title>{`${s.reason === "hold" ? "Hold" : "Recording paused"}: not recorded`}</title>
            </line>
          ) : (
            <rect
              key={`p${s.startMs}`}
              x={x(s.startMs)}
              width={Math.max(0.3, x(s.endMs) - x(s.startMs))}
              y={0}
              height={100}
              className="fill-amber-500/15"
              data-area="paused"
            >
              <title>{`${s.reason === "hold" ? "Hold" : "Recording paused"}: not recorded`}</title>
            </rect>
          ),
        )}
        {up.map((v, i) => (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: bars are positions, fixed in number
            key={`u${i}`}
            x={i + 0.15}
            width={0.7}
            y={50 - Math.max(0.5, v / 2)}
            height={Math.max(0.5, v / 2)}
            className={i < played ? WAVEFORM_COLORS.customerPlayed : WAVEFORM_COLORS.customer}
          />
        ))}
        {down.map((v, i) => (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: bars are positions, fixed in number
            key={`d${i}`}
            x={i + 0.15}
            width={0.7}
            y={50}
            height={Math.max(0.5, v / 2)}
            className={i < played ? WAVEFORM_COLORS.agentPlayed : WAVEFORM_COLORS.agent}
          />
        ))}
        {data.latencyTurns.map((t) => (
          <g key={`l${t.atMs}`} data-testid="latency-marker">
            <title>{`End-to-End latency ${t.e2eMs} ms`}</title>
            <rect
              x={x(clock.toAudio(t.atMs))}
              width={Math.max(0.4, x(clock.toAudio(t.atMs + t.e2eMs)) - x(clock.toAudio(t.atMs)))}
              y={0}
              height={6}
              className={LATENCY_MARKS[latencyLevel(t.e2eMs)].fill}
            />
          </g>
        ))}
        <line
          x1={played}
          x2={played}
          y1={0}
          y2={100}
          className="stroke-foreground"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
    </div>
  );
}
