/**
 * The key reaches SQLite as bytes (Database#key), not as SQL text; stores keyed the old
 * way (`PRAGMA key='…'`, `PRAGMA key="x'…'"`) still open; a new store appears whole or
 * not at all.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrations.js';
import { Database } from '../../src/store/sqlite.js';
import { Store, type StoreKey } from '../../src/store/store.js';
import { TEST_KEY } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

/** A store made exactly as version 0.1.0 unlocked it: the key spliced into a pragma. */
function storeKeyedByPragma(path: string, pragmaValue: string): void {
  const db = new Database(path);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key=${pragmaValue}`);
  db.pragma('journal_mode = WAL');
  migrate(db, path);
  db.close();
}

describe('keys as bytes', () => {
  it('opens a passphrase store keyed with PRAGMA key (quotes and non-ASCII included)', async () => {
    const path = join(tempDir(), 'store.db');
    const passphrase = "it's a long pässphrase";
    storeKeyedByPragma(path, `'${passphrase.replaceAll("'", "''")}'`);
    for (const key of [
      { mode: 'passphrase', passphrase },
      { mode: 'passphrase', passphrase: Buffer.from(passphrase, 'utf8') },
    ] as StoreKey[]) {
      const store = await Store.open(path, key);
      expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThan(0);
      store.close();
    }
  });

  it('opens a key-file store keyed with PRAGMA key="x\'…\'"', async () => {
    const path = join(tempDir(), 'store.db');
    storeKeyedByPragma(path, `"x'${TEST_KEY.toString('hex')}'"`);
    (await Store.open(path, { mode: 'key-file', key: TEST_KEY })).close();
  });

  it('keeps every byte of a passphrase, NUL included', async () => {
    const path = join(tempDir(), 'store.db');
    (await Store.open(path, { mode: 'passphrase', passphrase: Buffer.from('before\0after') }, { create: true })).close();
    await expect(Store.open(path, { mode: 'passphrase', passphrase: Buffer.from('before') })).rejects.toThrowError(
      expect.objectContaining({ code: 'store_locked', message: `wrong passphrase or key for ${path} (tried a passphrase)` }),
    );
    (await Store.open(path, { mode: 'passphrase', passphrase: Buffer.from('before\0after') })).close();
  });
});

describe('creating a store', () => {
  it('leaves nothing at the path when it fails part-way, and the next try succeeds', async () => {
    const dir = tempDir();
    const path = join(dir, 'store.db');
    const failing = async (): Promise<never> => {
      throw new Error('disk full');
    };
    await expect(Store.open(path, { mode: 'key-file', key: TEST_KEY }, { create: true, initialize: failing })).rejects.toThrow('disk full');
    expect(readdirSync(dir)).toEqual([]);
    const store = await Store.open(
      path,
      { mode: 'key-file', key: TEST_KEY },
      {
        create: true,
        initialize: async (s) => {
          s.write(() => s.db.prepare("INSERT INTO meta (key, value) VALUES ('probe', x'01')").run());
        },
      },
    );
    expect(store.db.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: Buffer.from([1]) });
    store.close();
    expect(readdirSync(dir).filter((name) => name.includes('.new'))).toEqual([]);
    expect(existsSync(`${path}-journal`)).toBe(false);
  });
});
