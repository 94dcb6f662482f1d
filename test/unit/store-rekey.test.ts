import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import type { CoreContext } from '../../src/core/context.js';
import { StoreError, UsageError } from '../../src/core/errors.js';
import { createOrganization } from '../../src/core/organizations.js';
import { rekeyStore, type RekeyStep } from '../../src/core/store-rekey.js';
import { issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import type { StoreKey } from '../../src/core/records.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-port.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY, testStore } from '../helpers/store.js';

const NEW_KEY: StoreKey = { mode: 'key-file', key: Buffer.alloc(32, 9) };
const PASSPHRASE: StoreKey = { mode: 'passphrase', passphrase: "it's a new passphrase" };
const OLD_KEY: StoreKey = { mode: 'key-file', key: TEST_KEY };

async function contextFor(path: string, key: StoreKey): Promise<CoreContext & { store: SqliteStore }> {
  return { store: await openSqliteStore(path, key), clock: fixedClock('2025-02-01T00:00:00Z'), random: seededRandom(5) };
}

describe('rekeyStore', () => {
  it('re-encrypts under a new key file: the old key no longer opens it, the data and chain are intact', async () => {
    const { ctx, path, organizationId, connection } = await testStore();
    const issued = await issueVerificationCode(ctx, { organizationId });
    await createOrganization(ctx, 'plaintext-marker-organization');
    const eventsBefore = await listAudit(ctx);
    const steps: RekeyStep[] = [];

    const result = await rekeyStore(ctx, NEW_KEY, (step) => steps.push(step));

    expect(result).toEqual({ path, previous_key_mode: 'key-file', key_mode: 'key-file', rekeyed_at: '2025-01-01T00:00:00Z' });
    expect(steps).toEqual(['locking', 'copying', 'encrypting', 'verifying', 'replacing']);
    expect(connection.db.open).toBe(false);
    await expect(openSqliteStore(path, OLD_KEY)).rejects.toThrow(/wrong passphrase or key/);
    expect(readFileSync(path).includes(Buffer.from('plaintext-marker-organization'))).toBe(false);
    const after = await contextFor(path, NEW_KEY);
    try {
      expect(after.store.connection.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.store.connection.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect((await listVerificationCodes(after, { organizationId })).items.map((c) => c.id)).toEqual([issued.id]);
      const events = await listAudit(after);
      expect(events.slice(0, -1)).toEqual(eventsBefore);
      expect(events.at(-1)).toMatchObject({ action: 'store.rekey', outcome: 'success', details: { previous_key_mode: 'key-file', key_mode: 'key-file' } });
      expect((await verifyAuditChain(after)).events).toBe(eventsBefore.length + 1);
    } finally {
      await after.store.close();
    }
    expect(readdirSync(dirname(path)).filter((f) => !f.startsWith('store.db-'))).toEqual(['store.db']);
  });

  it('moves from a key file to a passphrase and back', async () => {
    const { ctx, path, organizationId } = await testStore();
    await issueVerificationCode(ctx, { organizationId });
    expect((await rekeyStore(ctx, PASSPHRASE)).key_mode).toBe('passphrase');
    const withPassphrase = await contextFor(path, PASSPHRASE);
    expect(withPassphrase.store.keyMode).toBe('passphrase');
    expect(await rekeyStore(withPassphrase, OLD_KEY)).toMatchObject({ previous_key_mode: 'passphrase', key_mode: 'key-file' });
    await expect(openSqliteStore(path, PASSPHRASE)).rejects.toThrow(/wrong passphrase or key/);
    const back = await contextFor(path, OLD_KEY);
    try {
      expect((await listAudit(back, { action: 'store.rekey' })).map((e) => e.details)).toEqual([
        { previous_key_mode: 'key-file', key_mode: 'passphrase' },
        { previous_key_mode: 'passphrase', key_mode: 'key-file' },
      ]);
      expect((await verifyAuditChain(back)).events).toBe(4);
    } finally {
      await back.store.close();
    }
  });

  it('refuses the key the store already has, and keeps it open and unchanged', async () => {
    const { ctx, path, connection } = await testStore();
    const before = readFileSync(path);
    await expect(rekeyStore(ctx, { mode: 'key-file', key: Buffer.from(TEST_KEY) })).rejects.toThrow(UsageError);
    expect(connection.db.open).toBe(true);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses while another connection has the store open, and leaves it with the old key', async () => {
    const { ctx, path, organizationId } = await testStore();
    const other = await contextFor(path, OLD_KEY);
    try {
      await listVerificationCodes(other, { organizationId });
      await expect(rekeyStore(ctx, NEW_KEY)).rejects.toThrow(StoreError);
      // The other connection keeps working in WAL mode, with the old key.
      await issueVerificationCode(other, { organizationId });
      expect(other.store.connection.db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      await other.store.close();
    }
    const again = await contextFor(path, OLD_KEY);
    try {
      expect((await listVerificationCodes(again, { organizationId })).items.length).toBe(1);
      expect(await listAudit(again, { action: 'store.rekey' })).toEqual([]);
    } finally {
      await again.store.close();
    }
    expect(readdirSync(dirname(path)).filter((f) => f.includes('.rekey'))).toEqual([]);
  });

  it('removes what an interrupted rekey left behind', async () => {
    const { ctx, path } = await testStore();
    writeFileSync(`${path}.rekey`, 'half a copy');
    writeFileSync(`${path}.rekey-journal`, 'a journal');
    await rekeyStore(ctx, NEW_KEY);
    expect(readdirSync(dirname(path)).filter((f) => f.includes('.rekey'))).toEqual([]);
    await (await contextFor(path, NEW_KEY)).store.close();
  });
});
