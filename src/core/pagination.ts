/**
 * Keyset pagination over a table's `seq`, newest first unless a list is asked for
 * oldest first. Page tokens are opaque to users: base64url of `v1:<seq>` (newest
 * first) or `v1:asc:<seq>` (oldest first), so a token cannot silently continue a
 * list in the other order.
 */
import { UsageError } from './errors.js';

/** The order of a list: `desc` newest first, `asc` oldest first. */
export type ListOrder = 'asc' | 'desc';

/**
 * `--order` text as a ListOrder.
 * @throws UsageError for anything but `asc` or `desc`.
 */
export function parseListOrder(text: string): ListOrder {
  if (text !== 'asc' && text !== 'desc') throw new UsageError(`invalid --order "${text}": expected asc (oldest first) or desc (newest first)`);
  return text;
}

/**
 * Decodes a `--page` token into the `seq` to continue after (in `order`).
 * @throws UsageError for a malformed token, or one from a list in the other order.
 */
export function decodePageToken(token: string | undefined, order: ListOrder = 'desc'): number | undefined {
  if (token === undefined) return undefined;
  const match = /^v1:(asc:)?([0-9]{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw new UsageError(`invalid --page token "${token}"`, 'pass the next_page value from the previous page unchanged');
  const tokenOrder: ListOrder = match[1] ? 'asc' : 'desc';
  if (tokenOrder !== order) throw new UsageError(`the --page token "${token}" continues a list in --order ${tokenOrder}`, `pass --order ${tokenOrder} with it, or start again without --page`);
  return Number(match[2]);
}

/** The token for the page after the one that ended at `lastSeq`. */
export function encodePageToken(lastSeq: number, order: ListOrder = 'desc'): string {
  return Buffer.from(`v1:${order === 'asc' ? 'asc:' : ''}${lastSeq}`, 'utf8').toString('base64url');
}

/** A page of items and the token of the next page (null on the last page): the JSON shape of every list. */
export interface Page<T> {
  items: T[];
  next_page: string | null;
}

/**
 * Turns rows fetched with `LIMIT limit + 1` into a page: the extra row, when present,
 * only proves there is a next page.
 */
export function toPage<R extends { seq: number }, T>(rows: R[], limit: number, map: (row: R) => T, order: ListOrder = 'desc'): Page<T> {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { items: items.map(map), next_page: hasMore ? encodePageToken(items[items.length - 1]!.seq, order) : null };
}
