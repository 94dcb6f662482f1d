/**
 * The storage-rollback attack of issue 10: without the key, copy old 4 KiB pages of
 * the store file (from a backup or snapshot taken before a code was spent) back into
 * it. SQLCipher's page HMAC covers the page number but no version, so an old page is
 * accepted, and the page holding the code's row says it is unused again. Consuming
 * must notice that the audit log (on other pages) saw the code spent, and refuse.
 * A whole-file rollback takes the log back too; only an anchor kept elsewhere sees it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain, auditAnchor } from '../../src/core/audit.js';
import type { CoreContext } from '../../src/core/context.js';
import { issueBoundVerificationCode } from '../../src/core/ca-certificates/bind-code.js';
import { registerCaCertificate } from '../../src/core/ca-certificates/register.js';
import { verifyCaCertificate } from '../../src/core/ca-certificates/verify.js';
import { issueOneTimeCode, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { newTestKey, selfSignedCa, testKey, v1Certificate } from '../helpers/mini-ca.js';
import { TEST_KEY, testStore } from '../helpers/store.js';

const PAGE = 4096;
const PAIR = { userId: 'alice', purpose: 'add_credential' };

/** Runs `work` on the store at `path`, opened afresh, and closes it (so the WAL is checkpointed into the file). */
async function withStore<T>(base: CoreContext, path: string, work: (ctx: CoreContext) => Promise<T> | T): Promise<T> {
  const store = await openSqliteStore(path, { mode: 'key-file', key: TEST_KEY });
  try {
    return await work({ ...base, store });
  } finally {
    await store.close();
  }
}

type Outcome = { ok: true } | { ok: false; code: string };

async function outcome(attempt: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    await attempt();
    return { ok: true };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code ?? String(error) };
  }
}

/**
 * For every page that spending changed, puts the page from before back into the
 * spent file (the attacker's move, no key needed), spends the code again, and returns
 * what each new attempt did and the reasons of the failure events it left.
 */
async function copyBackEachPage(
  path: string,
  before: Buffer,
  spendAgain: () => Promise<Outcome>,
  reasons: () => Promise<Array<string | null>>,
): Promise<Array<Outcome & { reasons: Array<string | null> }>> {
  const after = readFileSync(path);
  const results = [];
  for (let offset = 0; offset < Math.min(before.length, after.length); offset += PAGE) {
    if (before.subarray(offset, offset + PAGE).equals(after.subarray(offset, offset + PAGE))) continue;
    const forged = Buffer.from(after);
    before.copy(forged, offset, offset, offset + PAGE);
    writeFileSync(path, forged);
    const result = await spendAgain();
    results.push({ ...result, reasons: result.ok || result.code === 'store_corrupt' ? [] : await reasons() });
    writeFileSync(path, after);
  }
  return results;
}

/** The pages of the audit log's table and indexes (found with the key, through SQLite's dbstat). */
async function auditLogPages(path: string): Promise<Set<number>> {
  const store = await openSqliteStore(path, { mode: 'key-file', key: TEST_KEY });
  try {
    const pages = store.connection.db.prepare("SELECT pageno FROM dbstat WHERE name = 'audit_events' OR name LIKE 'audit_events_%'").pluck().all() as number[];
    return new Set(pages);
  } finally {
    await store.close();
  }
}

/**
 * The strongest page rollback: every page that spending changed goes back to its old
 * content except the audit log's, so the code's row, its indexes and the counts all
 * agree that it is unused and SQLite sees nothing wrong. (An attacker without the key
 * finds this set by trying combinations; the test shortcuts that search with dbstat.)
 * Returns what the new attempt did and the reasons of the failure events it left.
 */
async function rollBackAllButTheLog(
  path: string,
  before: Buffer,
  spendAgain: () => Promise<Outcome>,
  reasons: () => Promise<Array<string | null>>,
): Promise<Outcome & { reasons: Array<string | null> }> {
  const after = readFileSync(path);
  const log = await auditLogPages(path);
  const forged = Buffer.from(after);
  for (let offset = 0; offset < Math.min(before.length, after.length); offset += PAGE) {
    if (!log.has(offset / PAGE + 1)) before.copy(forged, offset, offset, offset + PAGE);
  }
  writeFileSync(path, forged);
  const result = await spendAgain();
  return { ...result, reasons: result.ok ? [] : await reasons() };
}

describe('rolling back pages of the store does not revive a spent code', () => {
  it('one-time codes: the redeemed code is refused (audit_broken) with a state_mismatch event, and stays spent', async () => {
    const t = await testStore();
    const issued = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', ...PAIR, authorize: true });
    await t.ctx.store.close();
    const before = readFileSync(t.path);
    const redeem = (ctx: CoreContext) => redeemOneTimeCode(ctx, { organizationId: t.organizationId, ...PAIR, code: issued.code });
    await withStore(t.ctx, t.path, redeem);

    const spendAgain = () => withStore(t.ctx, t.path, (ctx) => outcome(() => redeem(ctx)));
    const reasons = () =>
      withStore(t.ctx, t.path, async (ctx) => (await listAudit(ctx, { action: 'code.redeem' })).filter((e) => e.outcome === 'failure').map((e) => e.reason));
    const results = await copyBackEachPage(t.path, before, spendAgain, reasons);
    expect(results.filter((r) => r.ok)).toEqual([]);
    // Any single old page is refused (by SQLite's own checks, or as used); old pages
    // everywhere but the log leave only the log to tell, and it does.
    expect(await rollBackAllButTheLog(t.path, before, spendAgain, reasons)).toMatchObject({ ok: false, code: 'audit_broken', reasons: ['state_mismatch'] });
  });

  it('verification codes: registering again with the consumed code is refused, with a state_mismatch event', async () => {
    const t = await testStore();
    const { code } = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    // The second CA is the attacker's: the same code, proved with its own key.
    const [first, second] = ['Rollback Root', 'Attacker Root'].map((subject) => selfSignedCa({ subject, key: newTestKey('ec-p256') }));
    await t.ctx.store.close();
    const before = readFileSync(t.path);
    const register = (ctx: CoreContext, root: typeof first) =>
      registerCaCertificate(ctx, {
        organizationId: t.organizationId,
        certificate: { bytes: Buffer.from(root!.pem), label: 'CA certificate ca.pem' },
        verificationCertificate: {
          bytes: Buffer.from(v1Certificate(root!, { subject: code, key: testKey('ec-p256') }).pem),
          label: 'verification certificate verification.pem',
        },
      });
    await withStore(t.ctx, t.path, (ctx) => register(ctx, first));

    const spendAgain = () => withStore(t.ctx, t.path, (ctx) => outcome(() => register(ctx, second)));
    const reasons = () =>
      withStore(t.ctx, t.path, async (ctx) =>
        (await listAudit(ctx, { action: 'verification_code.consume' })).filter((e) => e.outcome === 'failure').map((e) => e.reason),
      );
    const results = await copyBackEachPage(t.path, before, spendAgain, reasons);
    expect(results.filter((r) => r.ok)).toEqual([]);
    // Any single old page is refused (by SQLite's own checks, or as used); old pages
    // everywhere but the log leave only the log to tell, and it does.
    expect(await rollBackAllButTheLog(t.path, before, spendAgain, reasons)).toMatchObject({ ok: false, code: 'audit_broken', reasons: ['state_mismatch'] });
  });

  it('bound verification codes: pages from before a newer code superseded one do not let it verify the CA', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Azure Rollback Root', key: newTestKey('ec-p256') });
    await registerCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: { bytes: root.der, label: 'CA certificate ca.der' }, name: 'pending' });
    const bind = async (ctx: CoreContext) => (await issueBoundVerificationCode(ctx, { organizationId: t.organizationId, certificate: 'pending' }, {})).code;
    const older = await bind(t.ctx);
    await t.ctx.store.close();
    const before = readFileSync(t.path);
    // Azure keeps one nonce per CA: the newer code ends the older one.
    await withStore(t.ctx, t.path, bind);

    const verifyWithOlder = (ctx: CoreContext) =>
      verifyCaCertificate(ctx, {
        organizationId: t.organizationId,
        certificate: 'pending',
        verificationCertificate: {
          bytes: Buffer.from(v1Certificate(root, { subject: older, key: testKey('ec-p256') }).pem),
          label: 'verification certificate pop.pem',
        },
      });
    const spendAgain = () => withStore(t.ctx, t.path, (ctx) => outcome(() => verifyWithOlder(ctx)));
    const reasons = () =>
      withStore(t.ctx, t.path, async (ctx) =>
        (await listAudit(ctx, { action: 'verification_code.consume' })).filter((e) => e.outcome === 'failure').map((e) => e.reason),
      );
    const results = await copyBackEachPage(t.path, before, spendAgain, reasons);
    expect(results.filter((r) => r.ok)).toEqual([]);
    // Any single old page is refused (by SQLite's own checks, or as used); old pages
    // everywhere but the log leave only the log to tell, and it does.
    expect(await rollBackAllButTheLog(t.path, before, spendAgain, reasons)).toMatchObject({ ok: false, code: 'audit_broken', reasons: ['state_mismatch'] });
  });

  it('a whole-file rollback redeems again, and an anchor taken after the redeem catches it', async () => {
    const t = await testStore();
    const issued = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', ...PAIR, authorize: true });
    await t.ctx.store.close();
    const before = readFileSync(t.path);
    const redeem = (ctx: CoreContext) => redeemOneTimeCode(ctx, { organizationId: t.organizationId, ...PAIR, code: issued.code });
    const anchor = await withStore(t.ctx, t.path, async (ctx) => {
      await redeem(ctx);
      return auditAnchor(ctx);
    });
    writeFileSync(t.path, before);
    await withStore(t.ctx, t.path, async (ctx) => {
      // Without an anchor nothing inside the file can tell: the log was rolled back with it.
      expect((await verifyAuditChain(ctx)).events).toBe(anchor.seq - 1);
      await expect(verifyAuditChain(ctx, { anchor })).rejects.toThrowError(
        expect.objectContaining({
          code: 'audit_broken',
          message: `audit log does not match the anchor: the log has no event ${anchor.seq} (it was truncated or rolled back)`,
        }),
      );
    });
  });
});
