/**
 * What a PostgreSQL store leaves on the server's disks. After a workload through the
 * port and a CHECKPOINT (so the tables are written out as well as the WAL), no code,
 * user id, purpose, CA subject, description or organization name is in any file of the
 * cluster's data directory, WAL included: they are sealed, or (codes) never stored.
 * And the ways opening fails: each a clear error, nothing written.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hmacCode, scryptCode } from '../../src/core/codes/hashing.js';
import type { StoreKey } from '../../src/core/records.js';
import type { StorePort } from '../../src/core/store-port.js';
import { openPostgresStore } from '../../src/postgres/index.js';
import { caRow, KEY, ORG, OTHER_KEY, T0 } from '../contract/fixtures.js';
import { adminQuery, clusterDataDir, freshDatabase } from '../helpers/postgres.js';

/** Every file below `dir`; other tests' databases come and go meanwhile, so what vanishes is skipped. */
function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return [];
    return stat.isDirectory() ? filesUnder(path) : stat.isFile() ? [path] : [];
  });
}

/** Where in the data directory each of `needles` is found, as `name in path`; each file is read once. */
function findInDataDir(dataDir: string, needles: Record<string, Buffer>): string[] {
  return filesUnder(dataDir).flatMap((path) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return []; // a file PostgreSQL removed meanwhile
    }
    return Object.entries(needles)
      .filter(([, needle]) => bytes.includes(needle))
      .map(([name]) => `${name} in ${path}`);
  });
}

/** The error `opening` fails with. */
async function failure(opening: Promise<StorePort>): Promise<Error & { hint?: string }> {
  const outcome = await opening.then(
    (store) => store,
    (error: Error) => error,
  );
  if (!(outcome instanceof Error)) {
    await outcome.close();
    throw new Error('the store opened');
  }
  return outcome;
}

/** How many tables the database holds (0 for one nothing was written to). */
async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n);
  } finally {
    await client.end();
  }
}

describe('a PostgreSQL store at rest', () => {
  it('holds no code, user id, purpose, subject, description or organization name in clear, WAL included', async () => {
    const dataDir = clusterDataDir();
    if (dataDir === undefined) throw new Error("this test reads the cluster's data directory: set VERICODE_TEST_POSTGRES_DIR with VERICODE_TEST_POSTGRES_URL");
    const tag = randomBytes(6).toString('hex');
    const secrets = {
      organization: `Marker Org ${tag}`,
      subject: `CN=Marker Root CA ${tag}`,
      issuer: `CN=Marker Issuer ${tag}`,
      description: `marker description ${tag}`,
      caName: `marker-ca-${tag}`,
      userId: `marker.user.${tag}@example.com`,
      purpose: `marker-purpose-${tag}`,
      verificationCode: `VC${tag.toUpperCase()}`,
      shortCode: tag.slice(0, 8),
    };
    const hmacSecret = randomBytes(32);
    const clearEtag = `clear-etag-${randomBytes(6).toString('hex')}`;
    const store = await openPostgresStore(await freshDatabase(), { mode: 'passphrase', passphrase: `pass ${tag}` }, { create: true });
    try {
      await store.write(async (tx) => {
        await tx.setHmacSecret(hmacSecret);
        await tx.insertOrganization({ id: ORG, name: secrets.organization, created_at: T0 });
        await tx.insertCaCertificate(
          caRow(1, {
            name: secrets.caName,
            subject: secrets.subject,
            issuer: secrets.issuer,
            subject_der: Buffer.from(secrets.subject),
            description: secrets.description,
            etag: clearEtag,
          }),
        );
        await tx.insertVerificationCode({
          id: 'vc-1',
          organization_id: ORG,
          certificate_id: null,
          created_at: T0,
          expires_at: T0 + 1000,
          code_hmac: hmacCode(hmacSecret, secrets.verificationCode),
        });
        const salt = randomBytes(16);
        await tx.insertOneTimeCode({
          id: 'otc-1',
          organization_id: ORG,
          type: 'short',
          user_id: secrets.userId,
          purpose: secrets.purpose,
          code_digest: await scryptCode(secrets.shortCode, salt, 10),
          code_salt: salt,
          scrypt_log_n: 10,
          is_authorized: 1,
          created_at: T0,
          expires_at: T0 + 1000,
        });
        await tx.writeAttempts({ organizationId: ORG, userId: secrets.userId, purpose: secrets.purpose }, { failures: 1, locked_until: null });
      });
      // The workload read back through the store: it is all there, just not in clear.
      expect(await store.read((tx) => tx.findCaCertificateByName(ORG, secrets.caName))).toMatchObject({
        subject: secrets.subject,
        description: secrets.description,
      });
    } finally {
      await store.close();
    }
    await adminQuery('CHECKPOINT');
    const needles = Object.fromEntries(Object.entries(secrets).map(([what, value]) => [what, Buffer.from(value, 'utf8')]));
    const found = findInDataDir(dataDir, { ...needles, hmacSecret, clearEtag: Buffer.from(clearEtag) });
    expect(found.filter((place) => !place.startsWith('clearEtag '))).toEqual([]);
    // The scan does see what is stored in clear (an etag): its silence above means something.
    expect(found.filter((place) => place.startsWith('clearEtag ')).length).toBeGreaterThan(0);
  });

  it('refuses a wrong key, a wrong password, a server that is down and a missing database, writing nothing', async () => {
    const url = await freshDatabase();
    const store = await openPostgresStore(url, KEY, { create: true });
    await store.write((tx) => tx.insertOrganization({ id: ORG, name: 'Acme', created_at: T0 }));
    await store.close();
    const passphrase: StoreKey = { mode: 'passphrase', passphrase: 'not the key file', source: 'VERICODE_PASSPHRASE' };
    const parsed = new URL(url);
    const location = (u: URL): string => Object.assign(new URL(u), { password: '' }).toString();
    await expect(openPostgresStore(url, OTHER_KEY)).rejects.toMatchObject({
      code: 'store_locked',
      message: `wrong passphrase or key for ${location(parsed)} (tried a raw key)`,
    });
    await expect(openPostgresStore(url, passphrase)).rejects.toMatchObject({
      code: 'store_locked',
      message: `wrong passphrase or key for ${location(parsed)} (tried VERICODE_PASSPHRASE)`,
    });

    const wrongPassword = Object.assign(new URL(url), { password: 'not-the-password' });
    const refused = await failure(openPostgresStore(wrongPassword.toString(), KEY));
    expect(refused).toMatchObject({
      code: 'store_locked',
      message: expect.stringMatching(/^cannot log in to postgres:\/\/vericode_test@127\.0\.0\.1:\d+\/\w+: password authentication failed/),
    });
    expect(`${refused.message} ${refused.hint}`).not.toContain('not-the-password');

    const missing = Object.assign(new URL(url), { pathname: '/no_such_database' });
    await expect(openPostgresStore(missing.toString(), KEY, { create: true })).rejects.toMatchObject({
      code: 'store_locked',
      message: expect.stringMatching(/^cannot open .*no_such_database.*does not exist/),
    });

    // A port nothing listens on: the server is down.
    const down = Object.assign(new URL(url), { port: '1' });
    const unreachable = await failure(openPostgresStore(down.toString(), KEY));
    expect(unreachable).toMatchObject({ code: 'store_locked', message: `cannot connect to ${location(down)}: connection refused` });
    expect(unreachable.message).not.toContain(parsed.password);

    const reopened = await openPostgresStore(url, KEY);
    try {
      expect(await reopened.read((tx) => tx.listOrganizations())).toEqual([{ id: ORG, name: 'Acme', created_at: T0 }]);
      expect(await reopened.read((tx) => tx.auditLength())).toBe(0);
    } finally {
      await reopened.close();
    }
  });

  it('refuses to make a store in a database that holds other tables, and opens none in an empty one', async () => {
    const url = await freshDatabase();
    await expect(openPostgresStore(url, KEY)).rejects.toMatchObject({
      code: 'store_locked',
      message: expect.stringMatching(/^no store at postgres:\/\//),
      next: { kind: 'create_store', path: expect.stringMatching(/^postgres:\/\//) },
    });
    expect(await tableCount(url)).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('CREATE TABLE invoices (id integer)');
    await client.end();
    await expect(openPostgresStore(url, KEY, { create: true })).rejects.toMatchObject({
      code: 'store_corrupt',
      message: expect.stringMatching(/holds other tables and no vericode store$/),
    });
    expect(await tableCount(url)).toBe(1);
  });
});
