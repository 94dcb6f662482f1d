/** Timestamps as the store keeps them (epoch milliseconds) and as users see them (RFC 3339 UTC). */
import { UsageError } from './errors.js';
import type { Clock } from './ports.js';

/**
 * RFC 3339 in UTC, in whole seconds: `2024-01-15T12:00:00Z`. Every timestamp users
 * and scripts see has this one precision (a fraction is dropped, not rounded).
 */
export function rfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The clock's time truncated to whole seconds, as records are stamped. */
export function nowWholeSeconds(clock: Clock): number {
  return Math.floor(clock.now().getTime() / 1000) * 1000;
}

/** An RFC 3339 / ISO 8601 date (and time) in epoch milliseconds; undefined when it is not one. */
export function timestampMs(text: string): number | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parses an RFC 3339 / ISO 8601 timestamp (a list's `since`).
 * @throws UsageError when it is not a valid date and time.
 */
export function parseTimestamp(text: string): number {
  const ms = timestampMs(text);
  if (ms === undefined) throw new UsageError(`invalid time "${text}": expected an ISO 8601 date and time`, 'for example 2024-03-01T00:00:00Z');
  return ms;
}
