/** A clock that stands still until a test moves it. */
import type { Clock } from '../../src/core/ports.js';

export interface FixedClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to an ISO 8601 time. */
  set(iso: string): void;
}

/** A clock fixed at `iso` (default 2025-01-01T00:00:00Z). */
export function fixedClock(iso = '2025-01-01T00:00:00Z'): FixedClock {
  let now = Date.parse(iso);
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (next) => {
      now = Date.parse(next);
    },
  };
}
