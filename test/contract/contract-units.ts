/**
 * The contract of the store as a whole: opening (missing store, wrong key), units of
 * work (a failed one changes nothing), whole-store copies (export and import), rekey
 * and the maintenance operations.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STORE_TABLES, type StorePort, type TableRow } from '../../src/core/store-port.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { tempDir } from '../helpers/temp.js';
import { appendEvent, caRow, KEY, oneTimeCode, opened, ORG, OTHER_KEY, seeded, T0, type StoreHome } from './fixtures.js';

/**
 * Every table of `store`, as export gives it. Attempts are sorted here: a store orders
 * them by its key, which may be made of blind indexes (a different order under each key).
 */
async function everything(store: StorePort): Promise<Record<string, TableRow[]>> {
  const tables = await store.read(async (tx) => {
    const exported: Record<string, TableRow[]> = {};
    for (const table of STORE_TABLES) {
      exported[table] = [];
      for await (const batch of tx.exportRows(table, 2)) exported[table].push(...batch);
    }
    return exported;
  });
  tables.one_time_code_attempts!.sort((a, b) =>
    JSON.stringify([a.organization_id, a.user_id, a.purpose]).localeCompare(JSON.stringify([b.organization_id, b.user_id, b.purpose])),
  );
  return tables;
}

/** A store holding a row or more of every table. */
async function populated(home: StoreHome): Promise<StorePort> {
  const store = await seeded(home);
  await store.write(async (tx) => {
    await tx.insertCaCertificate(caRow(1, { description: 'first', jitp: '{"x":1}', is_verified: 1 }));
    await tx.insertCaCertificate(caRow(2, { name: null }));
    await tx.insertVerificationCode({
      id: 'vc-1',
      organization_id: ORG,
      certificate_id: 'ca-1',
      created_at: T0,
      expires_at: T0 + 1000,
      code_hmac: Buffer.alloc(32, 5),
    });
    await tx.insertOneTimeCode(oneTimeCode(1));
    await tx.insertOneTimeCode(oneTimeCode(2, { type: 'short', user_id: 'bob' }));
    await tx.insertOneTimeCode(oneTimeCode(3, { user_id: 'carol' }));
    await tx.writeAttempts({ organizationId: ORG, userId: 'bob', purpose: 'login' }, { failures: 1, locked_until: null });
    await tx.writeAttempts({ organizationId: ORG, userId: 'carol', purpose: 'login' }, { failures: 5, locked_until: T0 + 9 });
    await tx.writeAttempts({ organizationId: ORG, userId: 'dave', purpose: 'login' }, { failures: 2, locked_until: null });
    for (let n = 0; n < 5; n += 1) await appendEvent(tx, { action: 'code.create', details: { user_id: 'bob', n } });
  });
  return store;
}

export function unitContract(fresh: () => Promise<StoreHome>): void {
  describe('opening and units of work', () => {
    it('refuses a missing store without create, and a wrong key without writing', async () => {
      const home = await fresh();
      await expect(home.open(KEY)).rejects.toMatchObject({ code: 'store_locked', message: expect.stringMatching(/^no store at /) });
      await (await seeded(home)).close();
      await expect(home.open(OTHER_KEY)).rejects.toMatchObject({ code: 'store_locked', message: expect.stringMatching(/^wrong passphrase or key for /) });
      const again = await opened(home);
      expect(await again.read((tx) => tx.listOrganizations())).toEqual([
        { id: ORG, name: 'Acme Devices', created_at: T0 },
        { id: 'org-2', name: 'Other Org', created_at: T0 + 1 },
      ]);
      expect(await again.read((tx) => tx.hmacSecret())).toEqual(Buffer.alloc(32, 1));
      expect(await again.read((tx) => tx.defaultOrganizationId())).toBe(ORG);
      expect(await again.read((tx) => tx.findOrganization('org-9'))).toBeUndefined();
      expect(again.keyMode).toBe('key-file');
      expect(again.readOnly).toBe(false);
    });

    it('commits all of a unit or none of it', async () => {
      const store = await seeded(await fresh());
      const failure = new Error('the work failed');
      await expect(
        store.write(async (tx) => {
          await tx.insertCaCertificate(caRow(1));
          await tx.insertOneTimeCode(oneTimeCode(1));
          await tx.writeAttempts({ organizationId: ORG, userId: 'alice@example.com', purpose: 'login' }, { failures: 1, locked_until: null });
          await appendEvent(tx);
          throw failure;
        }),
      ).rejects.toBe(failure);
      await store.read(async (tx) => {
        expect(await tx.findCaCertificateById(ORG, 'ca-1')).toBeUndefined();
        expect(await tx.findOneTimeCodeById(ORG, 'otc-1')).toBeUndefined();
        expect(await tx.auditLength()).toBe(0);
        expect(await tx.lastAuditEvent()).toBeUndefined();
        expect((await tx.countRecords(T0)).ca_certificates.active).toBe(0);
      });
      // The head did not move: the next event is still the first.
      expect(await store.write((tx) => appendEvent(tx))).toMatchObject({ seq: 1 });
    });

    it('exports every table decrypted and imports it into another store unchanged', async () => {
      const source = await populated(await fresh());
      const rows = await everything(source);
      expect(rows.one_time_code_attempts).toHaveLength(3);
      expect(rows.audit_events).toHaveLength(5);
      const target = await opened(await fresh(), KEY, { create: true });
      await target.write(async (tx) => {
        for (const table of STORE_TABLES) await tx.importRows(table, rows[table]!);
      });
      expect(await everything(target)).toEqual(rows);
      expect(await target.read((tx) => tx.countRecords(T0))).toEqual(await source.read((tx) => tx.countRecords(T0)));
      // New rows continue after the imported ones, and the log after the imported head.
      await target.write(async (tx) => {
        await tx.insertCaCertificate(caRow(3));
        expect(await appendEvent(tx)).toMatchObject({ seq: 6, prev_hash: rows.audit_events![4]!.hash });
      });
      const [newest] = await target.read((tx) => tx.listCaCertificates({ organizationId: ORG, limit: 0 }));
      expect(newest!.seq).toBeGreaterThan(rows.ca_certificates![1]!.seq as number);
    });

    it('rekeys every record: the new key opens it, the old one no longer does', async () => {
      const home = await fresh();
      const store = await populated(home);
      const before = await everything(store);
      const steps: string[] = [];
      await store.rekey(OTHER_KEY, {
        onStep: (step) => steps.push(step),
        beforeReplace: async (copy) => {
          await copy.write((tx) => appendEvent(tx, { action: 'store.rekey' }));
        },
      });
      expect(steps).toContain('replacing');
      await expect(home.open(KEY)).rejects.toMatchObject({ code: 'store_locked', message: expect.stringMatching(/^wrong passphrase or key/) });
      const rekeyed = await opened(home, OTHER_KEY);
      const after = await everything(rekeyed);
      expect({ ...after, audit_events: after.audit_events!.slice(0, 5) }).toEqual(before);
      expect(after.audit_events![5]).toMatchObject({ seq: 6, action: 'store.rekey' });
      expect(await rekeyed.read((tx) => tx.findCaCertificateByName(ORG, 'ca-1'))).toMatchObject({ description: 'first' });
      expect(await rekeyed.read((tx) => tx.readAttempts({ organizationId: ORG, userId: 'carol', purpose: 'login' }))).toEqual({
        failures: 5,
        locked_until: T0 + 9,
      });
    });

    it('backs up one snapshot into a new encrypted store file that opens with the same key, never over a file', async () => {
      const store = await populated(await fresh());
      await store.write((tx) => appendEvent(tx, { action: 'store.test' }));
      const dir = tempDir();
      const out = join(dir, 'backup.db');
      const facts = await store.backup(out);
      const last = (await store.read((tx) => tx.lastAuditEvent()))!;
      expect(facts).toEqual({ bytes: statSync(out).size, audit_events: 6, audit_head_hash: last.hash });
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const copy = await openSqliteStore(out, KEY);
      try {
        expect(await everything(copy)).toEqual(await everything(store));
      } finally {
        await copy.close();
      }
      await expect(store.backup(out)).rejects.toMatchObject({ code: 'already_registered' });
      await expect(store.backup(join(dir, 'missing', 'backup.db'))).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/does not exist$/) });
    });

    it('reports its facts, reclaims space and runs bulk writes', async () => {
      const store = await populated(await fresh());
      const facts = await store.facts();
      expect(facts.format).toMatch(/^(sqlcipher-4|postgres-aes-256-gcm)$/);
      expect(facts.schema_version).toBeGreaterThan(0);
      expect(facts.size_bytes).toBeGreaterThan(0);
      expect(facts.organizations).toBe(2);
      const purged = await store.withBulkWrites(() => store.write((tx) => tx.purgeSpent('verification_codes', T0 + 5000, 10)));
      expect(purged).toBe(1);
      expect(await store.reclaimSpace({ compact: false })).toBeGreaterThanOrEqual(0);
      expect(await store.reclaimSpace({ compact: true })).toBeGreaterThanOrEqual(0);
      expect(await store.read((tx) => tx.findCaCertificateById(ORG, 'ca-1'))).toMatchObject({ description: 'first' });
    });
  });
}
