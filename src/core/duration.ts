/**
 * Durations as users type them (`90s`, `5m`, `24h`, `7d`) and the bounds each kind
 * of code allows.
 */
import { UsageError } from './errors.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^([0-9]{1,9})([smhd])$/;

/**
 * Parses a duration such as `90s`, `5m`, `24h` or `7d` into milliseconds.
 * @throws UsageError (`usage`) naming `flag` when the text is not a positive whole
 * number followed by one of s, m, h, d.
 */
export function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text.trim());
  if (!match || Number(match[1]) === 0) {
    throw new UsageError(
      `invalid ${flag} "${text}": expected a positive whole number followed by s, m, h or d`,
      `for example ${flag} 90s, ${flag} 5m, ${flag} 24h or ${flag} 7d`,
    );
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Formats milliseconds in the largest unit that divides them exactly: `86400000` is `1d`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

/** Allowed range and default of a time-to-live. */
export interface TtlPolicy {
  defaultMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * The TTL to use: the default when `text` is undefined, otherwise the parsed value.
 * @throws UsageError when `text` is malformed or outside the policy's bounds.
 */
export function resolveTtl(text: string | undefined, policy: TtlPolicy, flag = '--ttl'): number {
  if (text === undefined) return policy.defaultMs;
  const ms = parseDuration(text, flag);
  if (ms < policy.minMs || ms > policy.maxMs) {
    throw new UsageError(
      `${flag} ${text} is out of range: it must be from ${formatDuration(policy.minMs)} to ${formatDuration(policy.maxMs)}`,
    );
  }
  return ms;
}
