/** Reading registered CAs: a page of them, or one by name or PRN. */
import { assertListOrder, decodePageToken, pageSize, toPage, type Page } from '../pagination.js';
import type { CoreContext } from '../context.js';
import { UsageError } from '../errors.js';
import { toCaCertificate, type CaCertificate } from './ca-certificate.js';
import { findCaCertificate } from './names.js';

/** Options of `listCaCertificates`. */
export interface ListCaCertificatesOptions {
  organizationId: string;
  /** Case-insensitive substring of the name, subject, description or fingerprint. */
  search?: string;
  limit?: number;
  page?: string;
  /** `desc` (the default): newest first; `asc`: oldest first. */
  order?: ListOrder;
}

/** The order of a list, as `--order` spells it. */
export type ListOrder = 'asc' | 'desc';

const SEARCH_LIMIT = 256;

/**
 * A page of the organization's CAs, newest first (or oldest first with `order: 'asc'`).
 * A page token continues the order it was made in.
 * @throws UsageError for a limit outside 1..1000, an over-long search, an unknown order or a bad page token.
 */
export async function listCaCertificates(ctx: CoreContext, options: ListCaCertificatesOptions): Promise<Page<CaCertificate>> {
  const limit = pageSize(options.limit);
  const search = options.search?.trim();
  if (search !== undefined && search.length > SEARCH_LIMIT) throw new UsageError(`search text longer than ${SEARCH_LIMIT} characters`);
  const order = options.order ?? 'desc';
  assertListOrder(order);
  const cursorSeq = decodePageToken(options.page);
  const rows = await ctx.store.read((tx) => tx.listCaCertificates({ organizationId: options.organizationId, search, limit, cursorSeq, order }));
  return toPage(rows, limit, toCaCertificate);
}

/**
 * One CA by name or PRN.
 * @throws UsageError when `nameOrPrn` is neither; NotFoundError when the
 * organization has no such CA.
 */
export async function getCaCertificate(ctx: CoreContext, organizationId: string, nameOrPrn: string): Promise<CaCertificate> {
  return toCaCertificate(await ctx.store.read((tx) => findCaCertificate(tx, organizationId, nameOrPrn)));
}

/**
 * The registered certificate itself (DER), for `get --pem` / `--der`.
 * @throws UsageError, NotFoundError as `getCaCertificate`.
 */
export async function getCaCertificateDer(ctx: CoreContext, organizationId: string, nameOrPrn: string): Promise<Buffer> {
  return (await ctx.store.read((tx) => findCaCertificate(tx, organizationId, nameOrPrn))).der;
}
