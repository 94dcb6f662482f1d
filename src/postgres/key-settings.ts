/**
 * The clear `settings` rows that unlock a store: how its keys are derived (`kdf`) and
 * the check value that proves a key before anything is read or written (`key_check`).
 */
import type { ClientBase } from 'pg';
import type { StoreKey } from '../core/records.js';
import { Cipher } from './cipher.js';
import { deriveKeys, keysMatch, newKdfSettings, type KdfSettings } from './keys.js';
import { damaged, wrongKey } from './open-errors.js';

/**
 * The cipher of `key` for the store, proven against its check value.
 * @throws StoreError (`store_locked`) for a wrong key, (`store_corrupt`) when the settings are missing.
 */
export async function unlockStore(client: ClientBase, location: string, key: StoreKey): Promise<Cipher> {
  const rows = (await client.query<{ key: string; value: string }>("SELECT key, value FROM settings WHERE key IN ('kdf', 'key_check')")).rows;
  const kdf = rows.find((row) => row.key === 'kdf')?.value;
  const check = rows.find((row) => row.key === 'key_check')?.value;
  if (kdf === undefined || check === undefined) throw damaged(location, 'its key settings are missing');
  const keys = await deriveKeys(key, JSON.parse(kdf) as KdfSettings);
  if (keys === undefined || !keysMatch(keys, check)) throw wrongKey(location, key);
  return new Cipher(keys, location);
}

/**
 * Writes new settings for `key` (a new salt) and returns its cipher: for a new store
 * (`replace` false: settings already there fail the insert, never overwritten), or a
 * rekey. Call inside a transaction.
 */
export async function writeKeySettings(client: ClientBase, location: string, key: StoreKey, replace: boolean): Promise<Cipher> {
  const settings = newKdfSettings(key);
  const keys = (await deriveKeys(key, settings))!;
  const values = [JSON.stringify(settings), keys.check];
  if (replace) await client.query("UPDATE settings SET value = CASE key WHEN 'kdf' THEN $1 ELSE $2 END WHERE key IN ('kdf', 'key_check')", values);
  else await client.query("INSERT INTO settings (key, value) VALUES ('kdf', $1), ('key_check', $2)", values);
  return new Cipher(keys, location);
}
