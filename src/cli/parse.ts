/** Parsers for flag values shared by several commands. */
import { UsageError } from '../core/errors.js';

/**
 * `--limit` text as a whole number from 1 to `max`.
 * @throws UsageError otherwise.
 */
export function parseLimit(text: string, max = 1000): number {
  const value = /^[0-9]{1,7}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= 1 && value <= max)) throw new UsageError(`invalid --limit "${text}": it must be a whole number from 1 to ${max}`);
  return value;
}
