/**
 * `migrateStore` from a store file to PostgreSQL and back: the rows that come back are
 * the rows that left, through the PostgreSQL adapter's sealed columns and blind indexes.
 * Runs on the test run's throwaway cluster (test/helpers/postgres.ts).
 */
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import { redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { STORE_TABLES, type StorePort } from '../../src/core/store-port.js';
import { migrateStore } from '../../src/core/store-migrate.js';
import { getCaCertificate } from '../../src/core/ca-certificates/query.js';
import { openPostgresStore } from '../../src/postgres/index.js';
import { freshDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { KEY, openFile, PURPOSE, rowsOf, usedStore } from './store-migrate-workload.js';

async function openDatabase(url: string): Promise<StorePort> {
  const store = await openPostgresStore(url, KEY, { create: true });
  onTestFinished(() => store.close());
  return store;
}

describe('migrateStore through PostgreSQL', () => {
  it('copies a store file to PostgreSQL and back: every row returns as it left, and each copy works', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx, organizationId, longCode } = await usedStore(source);
    const events = await listAudit(ctx);
    const server = await openDatabase(await freshDatabase());

    const up = await migrateStore(source, server, { clock: ctx.clock, random: ctx.random });
    expect(up).toMatchObject({
      target: { kind: 'postgres', audit: { events: events.length + 1 } },
      audit: { events: events.length, head_hash: events.at(-1)!.hash },
      tables: {
        meta: 3,
        organizations: 1,
        ca_certificates: 1,
        verification_codes: 2,
        one_time_codes: 2,
        one_time_code_attempts: 1,
        audit_events: events.length,
      },
    });
    const onServer = { ...ctx, store: server };
    expect(await getCaCertificate(onServer, organizationId, 'line-1')).toEqual(await getCaCertificate(ctx, organizationId, 'line-1'));
    expect((await verifyAuditChain(onServer)).events).toBe(events.length + 1);

    const back = await openFile(join(dir, 'back.db'));
    const down = await migrateStore(server, back, { clock: ctx.clock, random: ctx.random });
    expect(down).toMatchObject({ source: { kind: 'postgres' }, target: { kind: 'sqlite', audit: { events: events.length + 2 } }, audit: up.target.audit });
    for (const table of STORE_TABLES) {
      const returned = await rowsOf(back, table);
      expect({ table, rows: table === 'audit_events' ? returned.slice(0, -2) : returned }).toEqual({ table, rows: await rowsOf(source, table) });
    }
    expect((await listAudit({ ...ctx, store: back })).slice(-2).map((e) => [e.action, e.details.from_kind])).toEqual([
      ['store.migrate', 'sqlite'],
      ['store.migrate', 'postgres'],
    ]);
    await expect(redeemOneTimeCode({ ...ctx, store: back }, { organizationId, userId: 'alice', purpose: PURPOSE, code: longCode })).resolves.toMatchObject({
      status: 'consumed',
    });
  });

  it('refuses a database that holds a store, and leaves it as it was', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx } = await usedStore(source);
    const server = await openDatabase(await freshDatabase());
    await usedStore(server);
    const before = await Promise.all(STORE_TABLES.map((table) => rowsOf(server, table)));
    await expect(migrateStore(source, server, { clock: ctx.clock, random: ctx.random })).rejects.toMatchObject({ code: 'already_registered' });
    expect(await Promise.all(STORE_TABLES.map((table) => rowsOf(server, table)))).toEqual(before);
  });
});
