/**
 * The attempt limit: after MAX_FAILED_ATTEMPTS consecutive failures a (user, purpose)
 * is locked for LOCK_DURATION_MS. Pure functions over the stored state; callers read
 * and write that state inside one immediate transaction, so counts stay exact when
 * processes race.
 */
import type { AttemptState } from '../records.js';
import { LOCK_DURATION_MS, MAX_FAILED_ATTEMPTS } from './policy.js';

/** True while the pair's lock lasts at `now`. */
export function isLocked(state: AttemptState, now: number): boolean {
  return state.locked_until !== null && now < state.locked_until;
}

/**
 * The state after one more failure at `now`. A lock that has ended starts a fresh count;
 * the failure that reaches the limit starts a lock of at least LOCK_DURATION_MS (its end
 * rounded up to a whole second, as users see times).
 */
export function afterFailure(state: AttemptState, now: number): AttemptState {
  const previous = state.locked_until !== null && now >= state.locked_until ? 0 : state.failures;
  const failures = previous + 1;
  const lockedUntil = Math.ceil(now / 1000) * 1000 + LOCK_DURATION_MS;
  return { failures, locked_until: failures >= MAX_FAILED_ATTEMPTS ? lockedUntil : null };
}
