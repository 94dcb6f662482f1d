/**
 * Parsers for flag values: each flag's text is read and range-checked here, once,
 * with errors that name the flag; the core gets typed values.
 */
import { formatDuration, parseDurationText, type TtlPolicy } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { pageTokenOrder, type ListOrder } from '../core/pagination.js';
import { timestampMs } from '../core/time.js';

/**
 * `--limit` text as a whole number from 1 to `max`.
 * @throws UsageError otherwise.
 */
export function parseLimit(text: string, max = 1000): number {
  const value = /^[0-9]{1,7}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(value >= 1 && value <= max)) throw new UsageError(`invalid --limit "${text}": it must be a whole number from 1 to ${max}`);
  return value;
}

/**
 * A duration flag (`90s`, `5m`, `24h`, `7d`) in milliseconds.
 * @throws UsageError naming `flag` when the text is not a positive whole number followed by s, m, h or d.
 */
export function parseDuration(text: string, flag: string): number {
  const ms = parseDurationText(text);
  if (ms === undefined) {
    throw new UsageError(
      `invalid ${flag} "${text}": expected a positive whole number followed by s, m, h or d`,
      `for example ${flag} 90s, ${flag} 5m, ${flag} 24h or ${flag} 7d`,
    );
  }
  return ms;
}

/**
 * A time-to-live flag: the policy's default when absent, else the parsed value within its bounds.
 * @throws UsageError when malformed or out of range.
 */
export function parseTtl(text: string | undefined, policy: TtlPolicy, flag = '--ttl'): number {
  if (text === undefined) return policy.defaultMs;
  const ms = parseDuration(text, flag);
  if (ms < policy.minMs || ms > policy.maxMs) {
    throw new UsageError(`${flag} ${text} is out of range: it must be from ${formatDuration(policy.minMs)} to ${formatDuration(policy.maxMs)}`);
  }
  return ms;
}

/**
 * An ISO 8601 time flag (`--since`, `--at`) in milliseconds since the epoch.
 * @throws UsageError naming `flag` otherwise.
 */
export function parseTimestamp(text: string, flag: string): number {
  const ms = timestampMs(text);
  if (ms === undefined) throw new UsageError(`invalid ${flag} "${text}": expected an ISO 8601 date and time`, `for example ${flag} 2024-03-01T00:00:00Z`);
  return ms;
}

/**
 * `--order` text; `choices` words the two orders in the error (`asc or desc`).
 * @throws UsageError for anything but asc or desc.
 */
export function parseListOrder(text: string, choices = 'asc or desc'): ListOrder {
  if (text !== 'asc' && text !== 'desc') throw new UsageError(`invalid --order "${text}": expected ${choices}`);
  return text;
}

/**
 * Checks a `--page` token against the list's `order` before the store is opened.
 * @throws UsageError for a malformed token, or one from a list in the other order.
 */
export function checkPageToken(token: string | undefined, order: ListOrder = 'desc'): void {
  if (token === undefined) return;
  const tokenOrder = pageTokenOrder(token);
  if (tokenOrder === undefined) throw new UsageError(`invalid --page token "${token}"`, 'pass the next_page value from the previous page unchanged');
  if (tokenOrder !== order)
    throw new UsageError(
      `the --page token "${token}" continues a list in --order ${tokenOrder}`,
      `pass --order ${tokenOrder} with it, or start again without --page`,
    );
}

/**
 * A flag whose value is one of `choices`; `quote` shows the given text in the error
 * as that command always has.
 * @throws UsageError otherwise.
 */
export function parseChoice<T extends string>(text: string, flag: string, choices: readonly T[], quote: (text: string) => string = (t) => `"${t}"`): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`invalid ${flag} ${quote(text)}: expected one of ${choices.join(', ')}`);
  return text as T;
}
