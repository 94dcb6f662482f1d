/**
 * Column encryption and blind indexes. A sealed value is `nonce (12) || ciphertext ||
 * tag (16)`, AES-256-GCM under the encryption subkey with a random nonce. Its
 * additional data names the table, the column and the row, so a ciphertext copied into
 * another column or row (by someone who can write the database but holds no key) fails
 * to open instead of being read as that row's value.
 *
 * A blind index is HMAC-SHA256 under the index subkey of a labelled, unambiguous
 * encoding of the looked-up values: equal inputs give equal indexes, so PostgreSQL can
 * find a row by it, and without the key it says nothing about the value.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { StoreError } from '../core/errors.js';
import type { DerivedKeys } from './keys.js';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Where a sealed value lives, bound into its ciphertext. */
export interface CellAddress {
  table: string;
  column: string;
  row: string;
}

/** Encrypts and indexes under one store's subkeys. */
export class Cipher {
  // Private fields (#): no dump or log of the object shows the subkeys.
  readonly #keys: DerivedKeys;
  readonly #location: string;

  constructor(keys: DerivedKeys, location: string) {
    this.#keys = keys;
    this.#location = location;
  }

  /** The check value of these keys, as the store keeps it. */
  get check(): string {
    return this.#keys.check;
  }

  seal(address: CellAddress, plaintext: Buffer): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.encryption, nonce);
    cipher.setAAD(additionalData(address));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /**
   * The plaintext of a sealed value.
   * @throws StoreError (`store_corrupt`) when it was changed, moved, or sealed under another key.
   */
  open(address: CellAddress, sealed: Buffer): Buffer {
    try {
      if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv('aes-256-gcm', this.#keys.encryption, sealed.subarray(0, NONCE_BYTES));
      decipher.setAAD(additionalData(address));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new StoreError(
        'store_corrupt',
        `store ${this.#location} is damaged: the ${address.column} of ${address.table} row ${address.row} does not decrypt (changed, moved from another row, or written under another key)`,
        { kind: 'restore_from_backup' },
        { cause: error },
      );
    }
  }

  /** The blind index of `parts` under `label` (a JSON array: no two inputs encode alike). */
  blind(label: string, ...parts: ReadonlyArray<string | Buffer>): Buffer {
    const encoded = JSON.stringify([label, ...parts.map((part) => (typeof part === 'string' ? part : { hex: part.toString('hex') }))]);
    return createHmac('sha256', this.#keys.index).update(encoded, 'utf8').digest();
  }
}

function additionalData(address: CellAddress): Buffer {
  return Buffer.from(JSON.stringify(['vericode/postgres/v1', address.table, address.column, address.row]), 'utf8');
}
