/**
 * CA verification codes: issue a single-use, time-limited random code; list and get
 * their status (never the code); consume one when a verification certificate
 * presents it. Codes are kept only as HMAC-SHA256 under the store's secret.
 */
import { decodePageToken, pageSize, toPage, type Page } from './pagination.js';
import { earlierSpend, recordEvent, recordFailure, revivedCodeError } from './audit.js';
import { codeHmacSecret, hmacCode } from './codes/hashing.js';
import { assertVerificationCodeFormat, generateVerificationCode, VERIFICATION_CODE_DEFAULT_LENGTH } from './codes/verification-code-format.js';
import type { CoreContext } from './context.js';
import { ConflictError, ExpiredError, NotFoundError, UsageError, VerificationError } from './errors.js';
import type { TtlPolicy } from './duration.js';
import { timeOrderedUuid } from './ports.js';
import { organizationPrn, parseResourcePrn, resourcePrn } from './prn.js';
import { existingOrganizationId } from './organizations.js';
import type { VerificationCodeRow, VerificationCodeStatusFilter } from './records.js';
import type { NextStep } from './next-steps.js';
import type { StoreWriter } from './store-port.js';
import { nowWholeSeconds, rfc3339 } from './time.js';

const CONSUME = 'verification_code.consume';
/** A bound code ended early by a newer code for the same CA: as spent as a consumed one. */
const SUPERSEDE = 'verification_code.supersede';

/** TTL bounds of verification codes: default 24h, from 5m to 7d. */
export const VERIFICATION_CODE_TTL: TtlPolicy = { defaultMs: 86_400_000, minMs: 300_000, maxMs: 604_800_000 };

/** Derived status of a verification code. */
export type VerificationCodeStatus = 'active' | 'consumed' | 'expired';

/** A verification code's record as shown by list and get: never the code itself. */
export interface VerificationCodeInfo {
  id: string;
  organization_id: string;
  certificate_prn: string | null;
  created_at: string;
  expires_at: string;
  consumed_at: string | null;
  status: VerificationCodeStatus;
}

/** The result of issuing a code: the only place the plaintext code ever appears. */
export interface IssuedVerificationCode {
  id: string;
  code: string;
  organization_id: string;
  certificate_prn: string | null;
  /** The bound CA's etag after binding (binding changes the CA, as in Azure); null for an unbound code. */
  certificate_etag: string | null;
  created_at: string;
  expires_at: string;
  status: 'active';
}

/** What to issue. `certificateId` binds the code to one registered CA (Azure flow). */
export interface IssueVerificationCodeInput {
  /** The organization's PRN, or its id as `resolveOrganizationId` returns it. */
  organizationId: string;
  ttlMs?: number;
  length?: number;
  certificateId?: string;
  /** The bound CA's new etag (see `issueBoundVerificationCode`), for the result and the audit event. */
  certificateEtag?: string;
}

/**
 * Issues a new code, records it (as an HMAC) and its audit event in one transaction.
 * A code bound to a CA supersedes the CA's earlier live codes (Azure keeps one nonce
 * per CA): they end now, each with a `verification_code.supersede` event.
 * @throws UsageError when the TTL is outside 5m..7d or the length outside 32..64;
 * NotFoundError when the organization does not exist.
 */
export async function issueVerificationCode(ctx: CoreContext, input: IssueVerificationCodeInput): Promise<IssuedVerificationCode> {
  checkedTtl(input);
  return ctx.store.write((tx) => issueVerificationCodeIn(ctx, tx, input));
}

/** `issueVerificationCode` inside the caller's unit of work `tx` (binding a code changes its CA in the same unit). */
export async function issueVerificationCodeIn(ctx: CoreContext, tx: StoreWriter, input: IssueVerificationCodeInput): Promise<IssuedVerificationCode> {
  const ttlMs = checkedTtl(input);
  const code = generateVerificationCode(ctx.random, input.length ?? VERIFICATION_CODE_DEFAULT_LENGTH);
  // Checked in the same unit: a PRN or an unknown id is a clear error, not a FOREIGN KEY failure.
  const organizationId = await existingOrganizationId(tx, input.organizationId);
  const createdAt = nowWholeSeconds(ctx.clock);
  const row = {
    id: timeOrderedUuid(ctx.random, ctx.clock.now().getTime()),
    organization_id: organizationId,
    certificate_id: input.certificateId ?? null,
    created_at: createdAt,
    expires_at: createdAt + ttlMs,
    code_hmac: hmacCode(await codeHmacSecret(tx, ctx.random), code),
  };
  const superseded = row.certificate_id === null ? [] : await tx.supersedeBoundVerificationCodes(row.organization_id, row.certificate_id, createdAt);
  await tx.insertVerificationCode(row);
  const info = toInfo({ ...row, seq: 0, consumed_at: null }, createdAt);
  for (const old of superseded) {
    await recordEvent(ctx, tx, {
      action: SUPERSEDE,
      organization_id: info.organization_id,
      subject: verificationCodePrn(old),
      outcome: 'success',
      reason: 'superseded',
      details: { superseded_by: info.id, certificate_prn: info.certificate_prn, expires_at: info.created_at },
    });
  }
  await recordEvent(ctx, tx, {
    action: 'verification_code.create',
    organization_id: info.organization_id,
    subject: info.id,
    outcome: 'success',
    reason: null,
    details: { expires_at: info.expires_at, length: code.length, certificate_prn: info.certificate_prn, certificate_etag: input.certificateEtag ?? null },
  });
  return {
    id: info.id,
    code,
    organization_id: info.organization_id,
    certificate_prn: info.certificate_prn,
    certificate_etag: input.certificateEtag ?? null,
    created_at: info.created_at,
    expires_at: info.expires_at,
    status: 'active',
  };
}

function checkedTtl(input: IssueVerificationCodeInput): number {
  const ttlMs = input.ttlMs ?? VERIFICATION_CODE_TTL.defaultMs;
  if (ttlMs < VERIFICATION_CODE_TTL.minMs || ttlMs > VERIFICATION_CODE_TTL.maxMs) {
    throw new UsageError('verification code TTL must be from 5m to 7d');
  }
  return ttlMs;
}

/** Options of `listVerificationCodes`. */
export interface ListVerificationCodesOptions {
  organizationId: string;
  status?: VerificationCodeStatusFilter;
  limit?: number;
  page?: string;
}

/** The statuses a list of verification codes can be filtered by. */
export const VERIFICATION_CODE_STATUS_FILTERS: readonly VerificationCodeStatusFilter[] = ['active', 'consumed', 'expired', 'all'];

/**
 * A page of the organization's codes, newest first.
 * @throws UsageError for an unknown status, a limit outside 1..1000 or a bad page token.
 */
export async function listVerificationCodes(ctx: CoreContext, options: ListVerificationCodesOptions): Promise<Page<VerificationCodeInfo>> {
  const status = options.status ?? 'all';
  if (!VERIFICATION_CODE_STATUS_FILTERS.includes(status)) {
    throw new UsageError(`unknown status filter "${status}": expected one of ${VERIFICATION_CODE_STATUS_FILTERS.join(', ')}`);
  }
  const limit = pageSize(options.limit);
  const beforeSeq = decodePageToken(options.page);
  const now = ctx.clock.now().getTime();
  const rows = await ctx.store.read((tx) => tx.listVerificationCodes({ organizationId: options.organizationId, status, now, limit, beforeSeq }));
  return toPage(rows, limit, (row) => toInfo(row, now));
}

/**
 * One code's status, by PRN or bare id.
 * @throws NotFoundError when the organization has no such code.
 */
export async function getVerificationCode(ctx: CoreContext, organizationId: string, idOrPrn: string): Promise<VerificationCodeInfo> {
  const id = parseResourcePrn(idOrPrn, 'ca_verification_code')?.id ?? idOrPrn;
  const row = await ctx.store.read((tx) => tx.findVerificationCodeById(organizationId, id));
  if (!row) throw new NotFoundError(`verification code ${idOrPrn} not found`, { kind: 'list_verification_codes' });
  return toInfo(row, ctx.clock.now().getTime());
}

/** What consuming a code proves, for the caller to continue with. */
export interface ConsumedVerificationCode {
  id: string;
  certificate_id: string | null;
}

/**
 * Consumes `code` for a registration attempt: atomically, with its audit event. Call
 * it after every check that needs no store, so a mistake that never needed the code
 * does not spend it; whatever fails after this call leaves the code spent. Failed
 * attempts are audited with their true reason. The hints of a code bound to a CA
 * name that CA's `--certificate`.
 * @throws UsageError (`invalid_format`), VerificationError (`unknown_code`, also for
 * another organization's code; `audit_broken` when the audit log shows the code already
 * consumed: the store was rolled back, and the refusal is recorded), ExpiredError
 * (`code_expired`, also for a bound code a newer one superseded), ConflictError
 * (`code_used`).
 */
export async function consumeVerificationCode(ctx: CoreContext, organizationId: string, code: string, where: string): Promise<ConsumedVerificationCode> {
  const orgPrn = organizationPrn(organizationId);
  const failure = (reason: string, subject: string | null = null): Promise<void> =>
    recordFailure(ctx, { action: CONSUME, organization_id: orgPrn, subject, reason });
  try {
    assertVerificationCodeFormat(code, where);
  } catch (error) {
    await failure('invalid_format');
    throw error;
  }
  const secret = await ctx.store.read((tx) => tx.hmacSecret());
  const codeHmac = secret ? hmacCode(secret, code) : undefined;
  const now = ctx.clock.now().getTime();
  const consumed =
    codeHmac &&
    (await ctx.store.write(async (tx) => {
      const row = await tx.consumeVerificationCode(organizationId, codeHmac, now);
      if (!row) return undefined;
      const subject = verificationCodePrn(row);
      // The row says unused; the log must agree, or old pages were copied back (a
      // superseded code is as spent as a consumed one).
      const spentAt = await earlierSpend(tx, subject, [CONSUME, SUPERSEDE]);
      // The row stays consumed: the refusal commits with its event.
      await recordEvent(
        ctx,
        tx,
        spentAt === undefined
          ? { action: CONSUME, organization_id: orgPrn, subject, outcome: 'success', reason: null }
          : { action: CONSUME, organization_id: orgPrn, subject, outcome: 'failure', reason: 'state_mismatch', details: { spent_at_event: spentAt } },
      );
      return { row, subject, spentAt };
    }));
  if (consumed && consumed.spentAt !== undefined) throw revivedCodeError(`verification code ${consumed.subject}`, consumed.spentAt);
  if (consumed) return { id: consumed.row.id, certificate_id: consumed.row.certificate_id };

  const existing = codeHmac && (await ctx.store.read((tx) => tx.findVerificationCodeByHmac(organizationId, codeHmac)));
  if (!existing) {
    await failure('unknown_code');
    throw new VerificationError('unknown_code', `${where} does not match any verification code of this organization`, { kind: 'issue_verification_code' });
  }
  const hint = await nextCodeHint(ctx, existing);
  if (existing.consumed_at !== null) {
    await failure('code_used', verificationCodePrn(existing));
    throw new ConflictError('code_used', 'the verification code was already used: each code is single-use, even when the registration failed', hint);
  }
  const newer = existing.certificate_id === null ? undefined : await ctx.store.read((tx) => tx.findNewerBoundVerificationCode(existing));
  if (newer && newer.created_at <= existing.expires_at) {
    await failure('code_superseded', verificationCodePrn(existing));
    throw new ExpiredError(
      'code_expired',
      `the verification code was superseded at ${rfc3339(newer.created_at)} by a newer code for the same CA certificate: a CA has one live code`,
      { kind: 'use_newest_verification_code', otherwise: hint },
    );
  }
  await failure('code_expired', verificationCodePrn(existing));
  throw new ExpiredError('code_expired', `the verification code expired at ${rfc3339(existing.expires_at)}`, hint);
}

/**
 * How to go on after `row` could not be used: a new code like it, bound to the same
 * CA while that CA still waits for proof (never an unbound code, which its verify
 * would refuse).
 */
async function nextCodeHint(ctx: CoreContext, row: VerificationCodeRow): Promise<NextStep> {
  if (row.certificate_id === null) return { kind: 'issue_new_verification_code' };
  const ca = await ctx.store.read((tx) => tx.findCaCertificateById(row.organization_id, row.certificate_id!));
  if (!ca) return { kind: 'register_deleted_ca_again' };
  const label = ca.name ?? resourcePrn(ca.organization_id, 'ca_certificate', ca.id);
  if (ca.is_verified === 1) return { kind: 'ca_certificate_already_verified', ca: label };
  return { kind: 'issue_new_verification_code', ca: label };
}

function verificationCodePrn(row: Pick<VerificationCodeRow, 'organization_id' | 'id'>): string {
  return resourcePrn(row.organization_id, 'ca_verification_code', row.id);
}

/** The derived status at `now`: expiry is exclusive, a code is valid while now < expires_at. */
export function verificationCodeStatus(row: Pick<VerificationCodeRow, 'consumed_at' | 'expires_at'>, now: number): VerificationCodeStatus {
  if (row.consumed_at !== null) return 'consumed';
  return now < row.expires_at ? 'active' : 'expired';
}

function toInfo(row: VerificationCodeRow, now: number): VerificationCodeInfo {
  return {
    id: verificationCodePrn(row),
    organization_id: organizationPrn(row.organization_id),
    certificate_prn: row.certificate_id === null ? null : resourcePrn(row.organization_id, 'ca_certificate', row.certificate_id),
    created_at: rfc3339(row.created_at),
    expires_at: rfc3339(row.expires_at),
    consumed_at: row.consumed_at === null ? null : rfc3339(row.consumed_at),
    status: verificationCodeStatus(row, now),
  };
}
