import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import type { CoreContext } from '../../src/core/context.js';
import { StoreError, UsageError } from '../../src/core/errors.js';
import { createOrganization } from '../../src/core/organizations.js';
import { rekeyStore, type RekeyStep } from '../../src/core/store-rekey.js';
import { issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import { Store, type StoreKey } from '../../src/store/store.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY, testStore } from '../helpers/store.js';

const NEW_KEY: StoreKey = { mode: 'key-file', key: Buffer.alloc(32, 9) };
const PASSPHRASE: StoreKey = { mode: 'passphrase', passphrase: "it's a new passphrase" };
const OLD_KEY: StoreKey = { mode: 'key-file', key: TEST_KEY };

function contextFor(path: string, key: StoreKey): CoreContext {
  return { store: Store.open(path, key), clock: fixedClock('2025-02-01T00:00:00Z'), random: seededRandom(5) };
}

describe('rekeyStore', () => {
  it('re-encrypts under a new key file: the old key no longer opens it, the data and chain are intact', () => {
    const { ctx, path, organizationId } = testStore();
    const issued = issueVerificationCode(ctx, { organizationId });
    createOrganization(ctx, 'plaintext-marker-organization');
    const eventsBefore = listAudit(ctx);
    const steps: RekeyStep[] = [];

    const result = rekeyStore(ctx, NEW_KEY, (step) => steps.push(step));

    expect(result).toEqual({ path, previous_key_mode: 'key-file', key_mode: 'key-file', rekeyed_at: '2025-01-01T00:00:00Z' });
    expect(steps).toEqual(['locking', 'copying', 'encrypting', 'verifying', 'replacing']);
    expect(ctx.store.db.open).toBe(false);
    expect(() => Store.open(path, OLD_KEY)).toThrow(/wrong passphrase or key/);
    expect(readFileSync(path).includes(Buffer.from('plaintext-marker-organization'))).toBe(false);
    const after = contextFor(path, NEW_KEY);
    try {
      expect(after.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(after.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(listVerificationCodes(after, { organizationId }).items.map((c) => c.id)).toEqual([issued.id]);
      const events = listAudit(after);
      expect(events.slice(0, -1)).toEqual(eventsBefore);
      expect(events.at(-1)).toMatchObject({ action: 'store.rekey', outcome: 'success', details: { previous_key_mode: 'key-file', key_mode: 'key-file' } });
      expect(verifyAuditChain(after).events).toBe(eventsBefore.length + 1);
    } finally {
      after.store.close();
    }
    expect(readdirSync(dirname(path)).filter((f) => !f.startsWith('store.db-'))).toEqual(['store.db']);
  });

  it('moves from a key file to a passphrase and back', () => {
    const { ctx, path, organizationId } = testStore();
    issueVerificationCode(ctx, { organizationId });
    expect(rekeyStore(ctx, PASSPHRASE).key_mode).toBe('passphrase');
    const withPassphrase = contextFor(path, PASSPHRASE);
    expect(withPassphrase.store.keyMode).toBe('passphrase');
    expect(rekeyStore(withPassphrase, OLD_KEY)).toMatchObject({ previous_key_mode: 'passphrase', key_mode: 'key-file' });
    expect(() => Store.open(path, PASSPHRASE)).toThrow(/wrong passphrase or key/);
    const back = contextFor(path, OLD_KEY);
    try {
      expect(listAudit(back, { action: 'store.rekey' }).map((e) => e.details)).toEqual([
        { previous_key_mode: 'key-file', key_mode: 'passphrase' },
        { previous_key_mode: 'passphrase', key_mode: 'key-file' },
      ]);
      expect(verifyAuditChain(back).events).toBe(4);
    } finally {
      back.store.close();
    }
  });

  it('refuses the key the store already has, and keeps it open and unchanged', () => {
    const { ctx, path } = testStore();
    const before = readFileSync(path);
    expect(() => rekeyStore(ctx, { mode: 'key-file', key: Buffer.from(TEST_KEY) })).toThrow(UsageError);
    expect(ctx.store.db.open).toBe(true);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses while another connection has the store open, and leaves it with the old key', () => {
    const { ctx, path, organizationId } = testStore();
    const other = contextFor(path, OLD_KEY);
    try {
      listVerificationCodes(other, { organizationId });
      expect(() => rekeyStore(ctx, NEW_KEY)).toThrow(StoreError);
      // The other connection keeps working in WAL mode, with the old key.
      issueVerificationCode(other, { organizationId });
      expect(other.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.store.close();
    }
    const again = contextFor(path, OLD_KEY);
    try {
      expect(listVerificationCodes(again, { organizationId }).items.length).toBe(1);
      expect(listAudit(again, { action: 'store.rekey' })).toEqual([]);
    } finally {
      again.store.close();
    }
    expect(readdirSync(dirname(path)).filter((f) => f.includes('.rekey'))).toEqual([]);
  });

  it('removes what an interrupted rekey left behind', () => {
    const { ctx, path } = testStore();
    writeFileSync(`${path}.rekey`, 'half a copy');
    writeFileSync(`${path}.rekey-journal`, 'a journal');
    rekeyStore(ctx, NEW_KEY);
    expect(readdirSync(dirname(path)).filter((f) => f.includes('.rekey'))).toEqual([]);
    contextFor(path, NEW_KEY).store.close();
  });
});
