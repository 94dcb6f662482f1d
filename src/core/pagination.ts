/**
 * Keyset pagination over a table's `seq`, newest first. Page tokens are opaque to
 * users: base64url of `v1:<seq>`.
 */
import { UsageError } from './errors.js';

/** Decodes a `--page` token into the `seq` to continue below. */
export function decodePageToken(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const match = /^v1:([0-9]{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw new UsageError(`invalid --page token "${token}"`, 'pass the next_page value from the previous page unchanged');
  return Number(match[1]);
}

/** The token for the page after the one that ended at `lastSeq`. */
export function encodePageToken(lastSeq: number): string {
  return Buffer.from(`v1:${lastSeq}`, 'utf8').toString('base64url');
}

/** A page of items and the token of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  next_page: string | null;
}

/**
 * Turns rows fetched with `LIMIT limit + 1` into a page: the extra row, when present,
 * only proves there is a next page.
 */
export function toPage<R extends { seq: number }, T>(rows: R[], limit: number, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { items: items.map(map), next_page: hasMore ? encodePageToken(items[items.length - 1]!.seq) : null };
}
