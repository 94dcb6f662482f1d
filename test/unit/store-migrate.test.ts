import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { nextEvent } from '../../src/core/audit/chain.js';
import { redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import { STORE_TABLES, type StorePort, type StoreTable, type StoreWriter } from '../../src/core/store-port.js';
import { migrateStore, type MigrateProgress } from '../../src/core/store-migrate.js';
import { insertAuditEvent, lastStoredEvent } from '../../src/store/audit-log.js';
import { tempDir } from '../helpers/temp.js';
import { openFile, PURPOSE, rowsOf, usedStore } from './store-migrate-workload.js';

/** `store`, but its units of work import every table except the last row of `table`: an adapter with a bug. */
function losingLastRow(store: StorePort, table: StoreTable): StorePort {
  const lossy = (tx: StoreWriter): StoreWriter =>
    new Proxy(tx, {
      get: (unit, name) =>
        name === 'importRows'
          ? (into: StoreTable, rows: Parameters<StoreWriter['importRows']>[1]) => unit.importRows(into, into === table ? rows.slice(0, -1) : rows)
          : Reflect.get(unit, name, unit),
    });
  return new Proxy(store, {
    get: (port, name) =>
      name === 'write' ? (work: (tx: StoreWriter) => Promise<unknown>) => port.write((tx) => work(lossy(tx))) : Reflect.get(port, name, port),
  });
}

describe('migrateStore between two store files', () => {
  it('copies every table verbatim, checks both sides, and appends store.migrate to the target', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx, organizationId, longCode } = await usedStore(source);
    const sourceEvents = await listAudit(ctx);
    const target = await openFile(join(dir, 'target.db'));

    const result = await migrateStore(source, target, { clock: ctx.clock, random: ctx.random });

    const head = { events: sourceEvents.length, head_hash: sourceEvents.at(-1)!.hash };
    const migrateEvent = (await listAudit({ ...ctx, store: target })).at(-1)!;
    expect(result).toEqual({
      source: { location: join(dir, 'source.db'), kind: 'sqlite', audit: head },
      target: { location: join(dir, 'target.db'), kind: 'sqlite', audit: { events: head.events + 1, head_hash: migrateEvent.hash } },
      tables: { meta: 3, organizations: 1, ca_certificates: 1, verification_codes: 2, one_time_codes: 2, one_time_code_attempts: 1, audit_events: head.events },
      audit: head,
      migrated_at: '2025-01-01T00:00:00Z',
    });
    for (const table of STORE_TABLES) {
      const copied = await rowsOf(target, table);
      expect({ table, rows: table === 'audit_events' ? copied.slice(0, -1) : copied }).toEqual({ table, rows: await rowsOf(source, table) });
    }
    expect(migrateEvent).toMatchObject({
      seq: head.events + 1,
      action: 'store.migrate',
      prev_hash: head.head_hash,
      details: { from: join(dir, 'source.db'), from_kind: 'sqlite', audit_events: head.events, audit_head_hash: head.head_hash },
    });
    // The code HMAC secret moved with the codes: a code issued in the source redeems in the copy.
    await expect(redeemOneTimeCode({ ...ctx, store: target }, { organizationId, userId: 'alice', purpose: PURPOSE, code: longCode })).resolves.toMatchObject({
      status: 'consumed',
    });
    expect(await listAudit(ctx)).toEqual(sourceEvents);
  });

  it('reports each table as it copies it, then each side as it checks it', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx } = await usedStore(source);
    const progress: MigrateProgress[] = [];
    await migrateStore(source, await openFile(join(dir, 'target.db')), { clock: ctx.clock, random: ctx.random, onProgress: (p) => progress.push(p) });
    const steps = progress.map((p) => (p.step === 'copying' ? p.table : p.side)).filter((step, i, all) => step !== all[i - 1]);
    expect(steps).toEqual([...STORE_TABLES, 'source', 'target']);
    expect(progress.filter((p) => p.step === 'copying' && p.table === 'audit_events').at(-1)).toEqual({
      step: 'copying',
      table: 'audit_events',
      rows: (await listAudit(ctx)).length,
    });
  });

  it('refuses a target that holds a store (a default organization and its event) and changes nothing', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx } = await usedStore(source);
    const target = await openFile(join(dir, 'target.db'));
    await ensureDefaultOrganization({ ...ctx, store: target });
    const before = await Promise.all(STORE_TABLES.map((table) => rowsOf(target, table)));
    await expect(migrateStore(source, target, { clock: ctx.clock, random: ctx.random })).rejects.toMatchObject({
      code: 'already_registered',
      message: `the target ${join(dir, 'target.db')} is not empty: it holds settings, organizations, audit events`,
    });
    expect(await Promise.all(STORE_TABLES.map((table) => rowsOf(target, table)))).toEqual(before);
  });

  it('copies nothing from a source whose audit chain is broken: the target stays empty', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx } = await usedStore(source);
    source.connection.db.prepare("UPDATE audit_events SET reason = 'edited' WHERE seq = 3").run();
    const target = await openFile(join(dir, 'target.db'));
    const empty = await Promise.all(STORE_TABLES.map((table) => rowsOf(target, table)));
    await expect(migrateStore(source, target, { clock: ctx.clock, random: ctx.random })).rejects.toMatchObject({
      code: 'audit_broken',
      message: 'audit log is broken at event 3: its contents do not match its hash',
    });
    expect(await Promise.all(STORE_TABLES.map((table) => rowsOf(target, table)))).toEqual(empty);
  });

  it('copies one snapshot: an event another process adds meanwhile stays in the source only, and both sides still check', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx } = await usedStore(source);
    const copied = await listAudit(ctx);
    // Another connection to the source file, as another process would have.
    const other = await openFile(join(dir, 'source.db'));
    let written = false;
    const writeMeanwhile = (): void => {
      if (written) return;
      written = true;
      const store = other.connection;
      store.write(() =>
        insertAuditEvent(
          store,
          nextEvent(lastStoredEvent(store), {
            at: '2025-01-01T00:00:01Z',
            action: 'organization.use',
            organization_id: null,
            subject: null,
            outcome: 'success',
            reason: null,
            details: {},
          }),
        ),
      );
    };
    const result = await migrateStore(source, await openFile(join(dir, 'target.db')), { clock: ctx.clock, random: ctx.random, onProgress: writeMeanwhile });
    expect(written).toBe(true);
    expect(result.audit).toEqual({ events: copied.length, head_hash: copied.at(-1)!.hash });
    expect(result.source.audit.events).toBe(copied.length + 1);
    expect(result.tables.audit_events).toBe(copied.length);
  });

  it('refuses a copy that does not hold what the source holds (an adapter that loses a row)', async () => {
    const dir = tempDir();
    const source = await openFile(join(dir, 'source.db'));
    const { ctx } = await usedStore(source);
    for (const table of ['verification_codes', 'audit_events'] as const) {
      const target = await openFile(join(dir, `${table}.db`));
      await expect(migrateStore(source, losingLastRow(target, table), { clock: ctx.clock, random: ctx.random })).rejects.toMatchObject({
        code: 'audit_broken',
        message: `the copy in ${join(dir, `${table}.db`)} does not hold the same records as ${join(dir, 'source.db')}`,
      });
      expect((await listAudit({ ...ctx, store: target })).map((e) => e.action)).not.toContain('store.migrate');
    }
  });
});
