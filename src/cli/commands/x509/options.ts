/** Flag parsing shared by the x509 verbs. */
import { UsageError } from '../../../core/errors.js';

/**
 * `--days` as a whole number of days from 1 to 36500.
 * @throws UsageError otherwise.
 */
export function parseDays(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const days = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(days >= 1 && days <= 36500)) throw new UsageError(`invalid --days "${text}": it must be a whole number from 1 to 36500`);
  return days;
}

/**
 * Refuses flags that do not belong with the chosen mode.
 * @throws UsageError naming the first such flag.
 */
export function refuseFlags(opts: Record<string, unknown>, flags: Record<string, string>, reason: string): void {
  for (const [key, flag] of Object.entries(flags)) {
    if (opts[key] !== undefined) throw new UsageError(`${flag} cannot be used ${reason}`);
  }
}

/**
 * Requires flags the chosen mode needs.
 * @throws UsageError naming the first missing flag.
 */
export function requireFlags(opts: Record<string, unknown>, flags: Record<string, string>, reason: string): void {
  for (const [key, flag] of Object.entries(flags)) {
    if (opts[key] === undefined) throw new UsageError(`missing ${flag}: it is required ${reason}`);
  }
}
