import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import { Database } from '../../src/store/sqlite.js';
import { TEST_KEY, testStore } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const WRONG_KEY = Buffer.alloc(32, 9);

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex'),
      ]),
  );
}

/** A closed store with some content, in its own directory. */
async function closedStore(): Promise<{ dir: string; path: string }> {
  const dir = tempDir();
  const { ctx, path } = await testStore({ dir });
  await ctx.store.close();
  return { dir, path };
}

describe('Store.open', () => {
  it('creates a store 0600 in WAL mode with synchronous=FULL at the current schema', async () => {
    const { ctx, connection, path } = await testStore();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(connection.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(connection.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(connection.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(ctx.store.keyMode).toBe('key-file');
  });

  it('opens again with the same key and keeps the data', async () => {
    const { path } = await closedStore();
    const store = await Store.open(path, { mode: 'key-file', key: TEST_KEY });
    expect(store.db.prepare('SELECT count(*) AS n FROM organizations').get()).toEqual({ n: 1 });
    store.close();
  });

  it('refuses a wrong key with store_locked and leaves the files byte-for-byte unchanged', async () => {
    const { dir, path } = await closedStore();
    const before = snapshot(dir);
    await expect(Store.open(path, { mode: 'key-file', key: WRONG_KEY })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_locked', message: `wrong passphrase or key for ${path} (tried a raw key)` }),
    );
    await expect(Store.open(path, { mode: 'passphrase', passphrase: 'not the key' })).rejects.toThrowError(expect.objectContaining({ code: 'store_locked' }));
    expect(snapshot(dir)).toEqual(before);
  });

  it('opens a passphrase store only with its passphrase', async () => {
    const dir = tempDir();
    const path = join(dir, 'pass.db');
    (await Store.open(path, { mode: 'passphrase', passphrase: "it's a secret" }, { create: true })).close();
    const store = await Store.open(path, { mode: 'passphrase', passphrase: "it's a secret" });
    expect(store.keyMode).toBe('passphrase');
    store.close();
    await expect(Store.open(path, { mode: 'passphrase', passphrase: "it's a secreT" })).rejects.toThrowError(expect.objectContaining({ code: 'store_locked' }));
  });

  it('says there is no store when the file is missing and create is not set', async () => {
    const path = join(tempDir(), 'missing.db');
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_locked', message: `no store at ${path}` }),
    );
  });

  it('calls a directory store_corrupt', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'store.db'));
    await expect(Store.open(join(dir, 'store.db'), { mode: 'key-file', key: TEST_KEY }, { create: true })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_corrupt', message: `store path ${join(dir, 'store.db')} is a directory, not a store file` }),
    );
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'is an empty file, not a vericode store'],
    ['a text file', Buffer.from('hello\n'), 'is not a vericode store: its size (6 bytes) is not a whole number of 4096-byte pages'],
  ])('calls %s store_corrupt and leaves it alone', async (_what, content, reason) => {
    const path = join(tempDir(), 'store.db');
    writeFileSync(path, content);
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY }, { create: true })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_corrupt', message: `${path} ${reason}` }),
    );
    expect(readFileSync(path)).toEqual(content);
  });

  it('calls a store truncated at a page boundary damaged, never opening it as empty', async () => {
    const { path } = await closedStore();
    truncateSync(path, 4096 * 2);
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_corrupt', message: `store ${path} is damaged: database disk image is malformed` }),
    );
  });

  it('calls a store cut mid-page store_corrupt', async () => {
    const { path } = await closedStore();
    truncateSync(path, 5000);
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY })).rejects.toThrowError(expect.objectContaining({ code: 'store_corrupt' }));
  });

  it('refuses an unencrypted SQLite database', async () => {
    const path = join(tempDir(), 'plain.db');
    const db = new Database(path);
    db.exec('CREATE TABLE t (x)');
    db.close();
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_corrupt', message: `${path} is an unencrypted SQLite database, not a vericode store` }),
    );
  });

  it('refuses a store from a newer vericode', async () => {
    const { path } = await closedStore();
    const store = await Store.open(path, { mode: 'key-file', key: TEST_KEY });
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    store.close();
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY })).rejects.toThrowError(
      expect.objectContaining({
        code: 'store_corrupt',
        message: `store ${path} has schema version ${SCHEMA_VERSION + 1}, newer than this vericode understands (${SCHEMA_VERSION})`,
      }),
    );
  });

  it('a copy of the file opens with the same key (the format is portable)', async () => {
    const { dir, path } = await closedStore();
    copyFileSync(path, join(dir, 'copy.db'));
    const store = await Store.open(join(dir, 'copy.db'), { mode: 'key-file', key: TEST_KEY });
    expect(store.db.prepare('SELECT count(*) AS n FROM audit_events').get()).toEqual({ n: 1 });
    store.close();
  });
});
