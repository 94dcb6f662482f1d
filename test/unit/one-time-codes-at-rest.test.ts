import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueOneTimeCode, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { testStore } from '../helpers/store.js';

const USER = 'zelda.unique-user-id@example.org';

describe('one-time codes at rest', () => {
  it('leaves no code or user id in clear in the store file, its WAL or its journal', async () => {
    const t = await testStore();
    const secrets: string[] = [USER];
    for (const type of ['short', 'long', 'phrase'] as const) {
      for (let i = 0; i < 3; i += 1) {
        const { code } = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type, userId: USER, purpose: 'add_credential', authorize: true });
        secrets.push(code);
        if (i === 0) await redeemOneTimeCode(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: 'add_credential', code });
      }
    }
    await redeemOneTimeCode(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: 'add_credential', code: 'Z'.repeat(32) }).catch(() => undefined);
    // The store itself holds the user id (so its absence below is the encryption's doing).
    const stored = t.connection.db.prepare('SELECT count(*) AS n FROM one_time_codes WHERE user_id = ?').get(USER) as { n: number };
    expect(stored.n).toBe(9);

    const files = [t.path, `${t.path}-wal`, `${t.path}-journal`].filter((f) => existsSync(f));
    expect(files).toContain(`${t.path}-wal`);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        for (const encoding of ['utf8', 'utf16le'] as const) {
          expect(bytes.includes(Buffer.from(secret, encoding)), `${secret} in ${file} (${encoding})`).toBe(false);
        }
      }
      // Not a secret, but its absence shows that every page is encrypted, not just some.
      expect(bytes.includes(Buffer.from('add_credential'))).toBe(false);
    }
  });
});
