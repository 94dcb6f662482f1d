import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import { ConflictError, StoreError, UsageError } from '../../src/core/errors.js';
import { createOrganization } from '../../src/core/organizations.js';
import { backupStore } from '../../src/core/store-backup.js';
import { issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import type { StoreKey } from '../../src/core/records.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY, testStore } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const MARKER = 'plaintext-marker-organization';

async function reopen(path: string, key: StoreKey) {
  const store = await openSqliteStore(path, key);
  return { store, ctx: { store, clock: fixedClock(), random: seededRandom(9) } };
}

describe('backupStore', () => {
  it('writes a 0600 copy that opens with the same key, holds the same records and verifies', async () => {
    const { ctx, organizationId } = await testStore();
    const issued = await issueVerificationCode(ctx, { organizationId });
    await createOrganization(ctx, MARKER);
    const outDir = tempDir();
    const out = join(outDir, 'backup.db');
    const chainBefore = await verifyAuditChain(ctx);

    const result = await backupStore(ctx, out);

    expect(result).toEqual({
      path: out,
      bytes: statSync(out).size,
      audit: { events: chainBefore.events, head_hash: chainBefore.head_hash },
      created_at: '2025-01-01T00:00:00Z',
      event_recorded: true,
    });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // Every page is encrypted: not even an organization's name shows in the file.
    expect(readFileSync(out).includes(Buffer.from(MARKER))).toBe(false);
    expect(readFileSync(out).includes(Buffer.from(issued.code))).toBe(false);
    const copy = await reopen(out, { mode: 'key-file', key: TEST_KEY });
    try {
      expect(copy.store.connection.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(await verifyAuditChain(copy.ctx)).toMatchObject({ events: chainBefore.events, head_hash: chainBefore.head_hash });
      expect((await listVerificationCodes(copy.ctx, { organizationId })).items.map((c) => c.id)).toEqual([issued.id]);
    } finally {
      await copy.store.close();
    }
    expect((await listAudit(ctx)).at(-1)).toMatchObject({
      action: 'store.backup',
      details: { path: out, bytes: result.bytes, audit_events: chainBefore.events },
    });
    expect(readdirSync(outDir)).toEqual(['backup.db']);
  });

  it('copies a passphrase store under the same passphrase', async () => {
    const path = join(tempDir(), 'store.db');
    const key = { mode: 'passphrase' as const, passphrase: "correct horse's battery" };
    const store = await openSqliteStore(path, key, { create: true });
    try {
      const out = join(tempDir(), 'backup.db');
      await backupStore({ store, clock: fixedClock(), random: seededRandom(2) }, out);
      const copy = await reopen(out, key);
      await copy.store.close();
      await expect(openSqliteStore(out, { mode: 'key-file', key: TEST_KEY })).rejects.toThrow(/wrong passphrase or key/);
    } finally {
      await store.close();
    }
  });

  it('never overwrites an existing file, and leaves it and the store as they were', async () => {
    const { ctx } = await testStore();
    const dir = tempDir();
    const out = join(dir, 'precious.db');
    writeFileSync(out, 'keep me');
    const events = (await listAudit(ctx)).length;
    await expect(backupStore(ctx, out)).rejects.toThrow(ConflictError);
    await expect(backupStore(ctx, out)).rejects.toThrow(`${out} already exists: backups never overwrite a file`);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['precious.db']);
    expect((await listAudit(ctx)).length).toBe(events);
  });

  it('refuses a missing directory, a file as directory, an empty name and the store itself', async () => {
    const { ctx, path } = await testStore();
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    await expect(backupStore(ctx, join(dir, 'missing', 'b.db'))).rejects.toThrow(
      `cannot write backup ${join(dir, 'missing', 'b.db')}: directory ${join(dir, 'missing')} does not exist`,
    );
    await expect(backupStore(ctx, join(dir, 'file', 'b.db'))).rejects.toThrow(
      `cannot write backup ${join(dir, 'file', 'b.db')}: ${join(dir, 'file')} is not a directory`,
    );
    await expect(backupStore(ctx, ' ')).rejects.toThrow(UsageError);
    await expect(backupStore(ctx, path)).rejects.toThrow(`the backup ${path} would be the store itself`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('refuses the files the store keeps beside it (-journal, -wal, -shm, the rekey copy), also through a symlinked directory', async () => {
    const { ctx, path } = await testStore();
    const dir = dirname(path);
    const link = join(tempDir(), 'via-link');
    symlinkSync(dir, link);
    const before = readdirSync(dir).sort();
    const events = (await listAudit(ctx)).length;
    for (const suffix of ['-journal', '-wal', '-shm', '.rekey', '.rekey-journal', '.rekey-wal', '.rekey-shm']) {
      for (const out of [`${path}${suffix}`, join(link, `store.db${suffix}`)]) {
        await expect(backupStore(ctx, out), out).rejects.toThrow(
          `the backup ${resolve(out)} would be ${path}${suffix}, a file the store keeps beside it and deletes or replaces`,
        );
      }
    }
    await expect(backupStore(ctx, join(link, 'store.db'))).rejects.toThrow(`would be the store itself`);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect((await listAudit(ctx)).length).toBe(events);
  });

  it.skipIf(process.getuid?.() !== 0)('names the destination when it fills up, and leaves nothing there', async () => {
    const { ctx, organizationId } = await testStore();
    // Without an fsync per code: 4,000 of them would take half a minute on a busy machine.
    await ctx.store.withBulkWrites(async () => {
      for (let i = 0; i < 4000; i += 1) await issueVerificationCode(ctx, { organizationId });
    });
    const dir = tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    try {
      const out = join(dir, 'backup.db');
      let failure: unknown;
      try {
        await backupStore(ctx, out);
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(StoreError);
      expect(failure).toMatchObject({
        code: 'store_locked',
        message: `cannot write backup ${out}: no space left on device`,
        next: { kind: 'choose_another_backup_path', because: 'disk_full', directory: dir },
      });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});
