/** Listing and getting one-time codes: status only, never the code. */
import type { Page } from '../pagination.js';
import { decodePageToken, pageSize, toPage } from '../pagination.js';
import type { OneTimeCodeStatusFilter } from '../records.js';
import type { CoreContext } from '../context.js';
import { NotFoundError, UsageError } from '../errors.js';
import { parseResourcePrn } from '../prn.js';
import { toOneTimeCodeInfo, type OneTimeCodeInfo } from './info.js';
import { assertPurpose, assertUserId } from './policy.js';

export type { OneTimeCodeStatusFilter } from '../records.js';

/** Options of `listOneTimeCodes`; all filters optional. */
export interface ListOneTimeCodesOptions {
  organizationId: string;
  userId?: string;
  purpose?: string;
  status?: string;
  limit?: number;
  page?: string;
}

/** The statuses a list of one-time codes can be filtered by. */
export const ONE_TIME_CODE_STATUS_FILTERS: readonly OneTimeCodeStatusFilter[] = ['active', 'consumed', 'expired', 'invalidated', 'locked', 'all'];

/**
 * A page of the organization's one-time codes, newest first.
 * @throws UsageError for a bad user id, purpose, status, limit (1..1000) or page token.
 */
export async function listOneTimeCodes(ctx: CoreContext, options: ListOneTimeCodesOptions): Promise<Page<OneTimeCodeInfo>> {
  if (options.userId !== undefined) assertUserId(options.userId);
  if (options.purpose !== undefined) assertPurpose(options.purpose);
  const status = (options.status ?? 'all') as OneTimeCodeStatusFilter;
  if (!ONE_TIME_CODE_STATUS_FILTERS.includes(status)) {
    throw new UsageError(`unknown status filter ${JSON.stringify(options.status)}: expected one of ${ONE_TIME_CODE_STATUS_FILTERS.join(', ')}`);
  }
  const limit = pageSize(options.limit);
  const beforeSeq = decodePageToken(options.page);
  const now = ctx.clock.now().getTime();
  const rows = await ctx.store.read((tx) => tx.listOneTimeCodes({ ...options, status, now, limit, beforeSeq }));
  return toPage(rows, limit, (row) => toOneTimeCodeInfo(row, now));
}

/**
 * One code's status, by PRN or bare id.
 * @throws NotFoundError when the organization has no such code.
 */
export async function getOneTimeCode(ctx: CoreContext, organizationId: string, idOrPrn: string): Promise<OneTimeCodeInfo> {
  const id = parseResourcePrn(idOrPrn, 'code')?.id ?? idOrPrn;
  const row = await ctx.store.read((tx) => tx.findOneTimeCodeById(organizationId, id));
  if (!row) throw new NotFoundError(`one-time code ${idOrPrn} not found`, { kind: 'list_one_time_codes' });
  return toOneTimeCodeInfo(row, ctx.clock.now().getTime());
}
