/**
 * What only the PostgreSQL store must do beyond the contract: stay one audit chain and
 * spend a code once when several connections (processes, machines) write at the same
 * time; stop a connection that holds the keys from before a rekey; refuse ciphertexts
 * moved between rows; open read-only for a role that may not write.
 */
import { inspect } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { eventJson, GENESIS_HASH, hashEventText } from '../../src/core/audit/chain.js';
import type { StorePort } from '../../src/core/store-port.js';
import { openPostgresStore } from '../../src/postgres/index.js';
import { adminQuery, freshDatabase } from '../helpers/postgres.js';
import { appendEvent, caRow, KEY, ORG, OTHER_KEY, T0 } from './fixtures.js';

async function seededUrl(): Promise<string> {
  const url = await freshDatabase();
  const store = await openPostgresStore(url, KEY, { create: true });
  await store.write(async (tx) => {
    await tx.insertOrganization({ id: ORG, name: 'Acme', created_at: T0 });
    await tx.insertVerificationCode({
      id: 'vc-1',
      organization_id: ORG,
      certificate_id: null,
      created_at: T0,
      expires_at: T0 + 1000,
      code_hmac: Buffer.alloc(32, 1),
    });
    await tx.insertCaCertificate(caRow(1, { description: 'first' }));
    await tx.insertCaCertificate(caRow(2, { description: 'second' }));
  });
  await store.close();
  return url;
}

async function withStores<T>(url: string, count: number, work: (stores: StorePort[]) => Promise<T>): Promise<T> {
  const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore(url, KEY)));
  try {
    return await work(stores);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function postgresOnlyContract(): void {
  describe('PostgreSQL: several connections at once', () => {
    it('keeps one audit chain and spends a code once while 6 connections write together', async () => {
      const url = await seededUrl();
      const outcomes = await withStores(url, 6, (stores) =>
        Promise.all(
          stores.map((store, i) =>
            store.write(async (tx) => {
              const consumed = await tx.consumeVerificationCode(ORG, Buffer.alloc(32, 1), T0 + 1);
              await appendEvent(tx, { action: consumed ? 'verification_code.consume' : 'test.lost', details: { writer: i } });
              for (let n = 0; n < 3; n += 1) await appendEvent(tx, { action: 'test.event', details: { writer: i, n } });
              return consumed !== undefined;
            }),
          ),
        ),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      await withStores(url, 1, async ([store]) => {
        const events = await store!.read((tx) => tx.listAuditEvents({}));
        expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
        let prev = GENESIS_HASH;
        for (const event of events) {
          expect(event.prev_hash).toBe(prev);
          expect(hashEventText(prev, eventJson(event))).toBe(event.hash);
          prev = event.hash;
        }
        expect(events.filter((event) => event.action === 'verification_code.consume')).toHaveLength(1);
      });
    });

    it('gives up waiting for a write lock another command holds too long, writing nothing', async () => {
      const url = await seededUrl();
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT seq FROM audit_head FOR UPDATE');
        const impatient = Object.assign(new URL(url), { search: '?lock_timeout=200' }).toString();
        await withStores(impatient, 1, async ([store]) => {
          await expect(store!.write((tx) => appendEvent(tx))).rejects.toMatchObject({
            code: 'store_locked',
            message: expect.stringMatching(/is busy: another command held its write lock too long$/),
          });
          expect(await store!.read((tx) => tx.auditLength())).toBe(0);
        });
      } finally {
        await holder.end();
      }
    });

    it('stops a connection holding the keys from before a rekey, before it writes', async () => {
      const url = await seededUrl();
      const stale = await openPostgresStore(url, KEY);
      try {
        const rekeying = await openPostgresStore(url, KEY);
        await rekeying.rekey(OTHER_KEY, { beforeReplace: async () => {} });
        await expect(stale.write((tx) => appendEvent(tx))).rejects.toMatchObject({
          code: 'store_locked',
          message: expect.stringMatching(/key of store .* changed/),
        });
        await expect(stale.read((tx) => tx.auditLength())).rejects.toMatchObject({ code: 'store_locked' });
      } finally {
        await stale.close();
      }
      const fresh = await openPostgresStore(url, OTHER_KEY);
      try {
        expect(await fresh.read((tx) => tx.auditLength())).toBe(0);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('PostgreSQL: making and opening a store', () => {
    it('makes one store when two processes create it at once, and opens it with the same key', async () => {
      const url = await freshDatabase();
      const stores = await Promise.all([openPostgresStore(url, KEY, { create: true }), openPostgresStore(url, KEY, { create: true })]);
      try {
        await stores[0]!.write((tx) => tx.insertOrganization({ id: ORG, name: 'Acme', created_at: T0 }));
        expect(await stores[1]!.read((tx) => tx.listOrganizations())).toHaveLength(1);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
      }
    });

    it('makes nothing when initialize fails', async () => {
      const url = await freshDatabase();
      const failure = new Error('initialize failed');
      await expect(
        openPostgresStore(url, KEY, {
          create: true,
          initialize: async (store) => {
            await store.write((tx) => tx.insertOrganization({ id: ORG, name: 'Acme', created_at: T0 }));
            throw failure;
          },
        }),
      ).rejects.toBe(failure);
      await expect(openPostgresStore(url, KEY)).rejects.toMatchObject({ code: 'store_locked', message: expect.stringMatching(/^no store at /) });
    });

    it('unlocks a passphrase store with its passphrase only', async () => {
      const url = await freshDatabase();
      const passphrase = { mode: 'passphrase' as const, passphrase: 'correct horse battery staple' };
      const store = await openPostgresStore(url, passphrase, {
        create: true,
        initialize: (created) => created.write((tx) => tx.insertOrganization({ id: ORG, name: 'Acme', created_at: T0 })),
      });
      await store.close();
      await expect(
        openPostgresStore(url, { mode: 'passphrase', passphrase: 'correct horse battery stapler', source: '--passphrase-file p.txt' }),
      ).rejects.toMatchObject({ code: 'store_locked', message: `wrong passphrase or key for ${store.location} (tried --passphrase-file p.txt)` });
      const again = await openPostgresStore(url, { mode: 'passphrase', passphrase: Buffer.from('correct horse battery staple') });
      try {
        expect(again.keyMode).toBe('passphrase');
        expect(await again.read((tx) => tx.findOrganization(ORG))).toEqual({ id: ORG, name: 'Acme', created_at: T0 });
      } finally {
        await again.close();
      }
    });

    it('shows neither the password nor a key in a dump of the open store', async () => {
      const url = await seededUrl();
      await withStores(url, 1, async ([store]) => {
        const dump = inspect(store, { depth: 10, showHidden: true });
        expect(dump).not.toContain(new URL(url).password);
        expect(dump).not.toMatch(/Buffer|Uint8Array|07 07 07/);
        expect(store!.location).toBe(Object.assign(new URL(url), { password: '' }).toString());
      });
    });

    it('says the connection was lost when the server ends it, and writes nothing', async () => {
      const url = await seededUrl();
      await withStores(url, 1, async ([store]) => {
        const database = new URL(url).pathname.slice(1);
        await adminQuery(`SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '${database}'`);
        await expect(store!.write((tx) => appendEvent(tx))).rejects.toMatchObject({
          code: 'store_locked',
          message: expect.stringMatching(/^lost the connection to postgres:\/\/\S+: \S/),
        });
      });
      await withStores(url, 1, async ([store]) => expect(await store!.read((tx) => tx.auditLength())).toBe(0));
    });

    it('refuses a store written by a newer version', async () => {
      const url = await seededUrl();
      await sql(url, 'INSERT INTO schema_migrations (version) VALUES (99)');
      await expect(openPostgresStore(url, KEY)).rejects.toMatchObject({
        code: 'store_corrupt',
        message: expect.stringMatching(/has schema version 99, newer than this vericode understands \(1\)$/),
      });
    });
  });

  describe('PostgreSQL: what the server holds', () => {
    it('refuses to import a column it does not keep, rather than drop it', async () => {
      const url = await seededUrl();
      await withStores(url, 1, async ([store]) => {
        await expect(
          store!.write((tx) => tx.importRows('organizations', [{ id: 'org-9', name: 'Later', created_at: T0, region: 'eu' }])),
        ).rejects.toMatchObject({
          code: 'store_corrupt',
          message: 'cannot import organizations: this store has no column region',
        });
        expect(await store!.read((tx) => tx.findOrganization('org-9'))).toBeUndefined();
      });
    });

    it('refuses a ciphertext moved to another row', async () => {
      const url = await seededUrl();
      await sql(url, "UPDATE ca_certificates SET description = (SELECT description FROM ca_certificates WHERE id = 'ca-2') WHERE id = 'ca-1'");
      await withStores(url, 1, async ([store]) => {
        await expect(store!.read((tx) => tx.findCaCertificateById(ORG, 'ca-1'))).rejects.toMatchObject({
          code: 'store_corrupt',
          message: expect.stringContaining('description of ca_certificates row ca-1 does not decrypt'),
        });
        expect(await store!.read((tx) => tx.findCaCertificateById(ORG, 'ca-2'))).toMatchObject({ description: 'second' });
      });
    });

    it('says so when the role may not create tables, and makes nothing', async () => {
      const url = await freshDatabase();
      const role = `guest_${Math.random().toString(36).slice(2, 10)}`;
      await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'guest-password'`);
      try {
        const guestUrl = Object.assign(new URL(url), { username: role, password: 'guest-password' }).toString();
        await expect(openPostgresStore(guestUrl, KEY, { create: true })).rejects.toMatchObject({
          code: 'store_locked',
          message: expect.stringMatching(/^cannot create a store in postgres:\/\/guest_\w+@.*: permission denied for schema public$/),
        });
        await expect(openPostgresStore(url, KEY)).rejects.toMatchObject({ message: expect.stringMatching(/^no store at /) });
      } finally {
        await adminQuery(`DROP ROLE ${role}`);
      }
    });

    it('opens read-only for a role that may only read: reads work, writes are refused', async () => {
      const url = await seededUrl();
      const role = `reader_${Math.random().toString(36).slice(2, 10)}`;
      await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-password'`);
      try {
        await sql(url, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
        const readerUrl = Object.assign(new URL(url), { username: role, password: 'reader-password' }).toString();
        const store = await openPostgresStore(readerUrl, KEY);
        try {
          expect(store.readOnly).toBe(true);
          expect(store.location).not.toContain('reader-password');
          expect(await store.read((tx) => tx.findCaCertificateById(ORG, 'ca-1'))).toMatchObject({ description: 'first' });
          await expect(store.write((tx) => appendEvent(tx))).rejects.toMatchObject({
            code: 'store_locked',
            message: expect.stringMatching(/is read-only: this command changes it$/),
          });
        } finally {
          await store.close();
        }
      } finally {
        await sql(url, `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
        await adminQuery(`DROP ROLE ${role}`);
      }
    });
  });
}
