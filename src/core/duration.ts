/**
 * Durations as users type them (`90s`, `5m`, `24h`, `7d`) and the bounds each kind
 * of code allows.
 */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([0-9]{1,9})([smhd])$/;

/**
 * A duration such as `90s`, `5m`, `24h` or `7d` in milliseconds; undefined unless the
 * text is a positive whole number followed by one of s, m, h, d (the CLI names its
 * flag in the error).
 */
export function parseDurationText(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || Number(match[1]) === 0) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Formats milliseconds in the largest unit that divides them exactly: `86400000` is `1d`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

/** Allowed range and default of a time-to-live (the CLI checks a `--ttl` against it). */
export interface TtlPolicy {
  defaultMs: number;
  minMs: number;
  maxMs: number;
}
