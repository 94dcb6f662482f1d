/**
 * Keyset pagination over a table's `seq`, newest first unless a list is asked for
 * oldest first. Page tokens are opaque to users: base64url of `v1:<seq>` (newest
 * first) or `v1:asc:<seq>` (oldest first), so a token cannot silently continue a
 * list in the other order.
 */
import { UsageError } from './errors.js';

/** The order of a list: `desc` newest first, `asc` oldest first. */
export type ListOrder = 'asc' | 'desc';

/** The most items a page may hold. */
export const MAX_PAGE_SIZE = 1000;

/**
 * `limit` as a page size, `fallback` when it is undefined.
 * @throws UsageError unless it is a whole number from 1 to MAX_PAGE_SIZE.
 */
export function pageSize(limit: number | undefined, fallback = 50): number {
  const size = limit ?? fallback;
  if (!(Number.isInteger(size) && size >= 1 && size <= MAX_PAGE_SIZE))
    throw new UsageError(`page size ${size} is not a whole number from 1 to ${MAX_PAGE_SIZE}`);
  return size;
}

/**
 * Checks that an order is asc or desc (a caller outside TypeScript may pass anything).
 * @throws UsageError otherwise.
 */
export function assertListOrder(order: string): asserts order is ListOrder {
  if (order !== 'asc' && order !== 'desc') throw new UsageError(`unknown list order "${order}": expected asc or desc`);
}

function decodeToken(token: string): { order: ListOrder; seq: number } | undefined {
  const match = /^v1:(asc:)?([0-9]{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? { order: match[1] ? 'asc' : 'desc', seq: Number(match[2]) } : undefined;
}

/** The order a page token continues; undefined when it is not a page token. */
export function pageTokenOrder(token: string): ListOrder | undefined {
  return decodeToken(token)?.order;
}

/**
 * Decodes a page token into the `seq` to continue after (in `order`).
 * @throws UsageError for a malformed token, or one from a list in the other order.
 */
export function decodePageToken(token: string | undefined, order: ListOrder = 'desc'): number | undefined {
  if (token === undefined) return undefined;
  const decoded = decodeToken(token);
  if (!decoded) throw new UsageError(`invalid page token "${token}"`, 'pass the next_page value from the previous page unchanged');
  if (decoded.order !== order)
    throw new UsageError(
      `page token "${token}" continues a list in ${decoded.order} order`,
      `list in ${decoded.order} order with it, or start again from the first page`,
    );
  return decoded.seq;
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
