// A shared store on PostgreSQL (loopback, a throwaway cluster with fsync on, as a real
// server runs) beside the SQLite file, interleaved: (1) issuing and redeeming a
// verification code through the core library, each one unit of work with its audit
// event, median latency; (2) `peridio ca-certificates verification-codes create` as a
// whole command, whose PostgreSQL figure includes connecting and the key check.
import { join } from 'node:path';
import pg from 'pg';
import { startCluster, stopCluster } from '../../scripts/postgres-cluster.mjs';
import { benchHome, BIN, compare, median, report, ROOT, timeRun } from '../lib.js';

export const name = 'postgres';

const UNITS = 200;
const KEY = { mode: 'key-file', key: Buffer.alloc(32, 5) };

async function createDatabase(clusterUrl, database) {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function elapsedMs(work) {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** Median ms of issuing and of redeeming a code on each store, the stores taking turns. */
async function unitLatencies(stores, core) {
  const times = Object.fromEntries(stores.map(({ kind }) => [kind, { issue: [], redeem: [] }]));
  for (let i = 0; i < UNITS; i += 1) {
    for (const { kind, ctx, organizationId } of stores) {
      const issued = await elapsedMs(() => core.issueVerificationCode(ctx, { organizationId }));
      const redeemed = await elapsedMs(() => core.consumeVerificationCode(ctx, organizationId, issued.result.code, 'bench'));
      times[kind].issue.push(issued.ms);
      times[kind].redeem.push(redeemed.ms);
    }
  }
  for (const step of ['issue', 'redeem']) {
    const [pgMs, sqliteMs] = [median(times.postgres[step]), median(times.sqlite[step])];
    console.log(
      `${`${step} a verification code (core library, one unit)`.padEnd(48)} postgres ${pgMs.toFixed(2).padStart(6)} ms  vs sqlite ${sqliteMs.toFixed(2).padStart(6)} ms  = ${(pgMs / sqliteMs).toFixed(2)}x  (${UNITS} each)`,
    );
  }
}

export async function run() {
  const cluster = await startCluster({ durable: true });
  try {
    const url = await createDatabase(cluster.url, 'vericode_bench');
    const core = await import(join(ROOT, 'dist', 'core', 'index.js'));
    const { openSqliteStore } = await import(join(ROOT, 'dist', 'store', 'index.js'));
    const { openPostgresStore } = await import(join(ROOT, 'dist', 'postgres', 'index.js'));
    const { home, env } = benchHome();
    const opened = [
      { kind: 'postgres', store: await openPostgresStore(url, KEY, { create: true }) },
      { kind: 'sqlite', store: await openSqliteStore(join(home, 'library.db'), KEY, { create: true }) },
    ];
    const stores = [];
    for (const { kind, store } of opened) {
      const ctx = { store, clock: core.systemClock, random: core.cryptoRandom };
      const { organization } = await core.ensureDefaultOrganization(ctx);
      stores.push({ kind, ctx, organizationId: organization.prn.slice('prn:1:'.length) });
    }
    await unitLatencies(stores, core);
    for (const { store } of opened) await store.close();

    const pgEnv = { ...env, VERICODE_STORE: await createDatabase(cluster.url, 'vericode_bench_cli') };
    timeRun([process.execPath, BIN, 'init'], { env: pgEnv });
    const create = (runEnv) => () => timeRun([process.execPath, BIN, 'ca-certificates', 'verification-codes', 'create', '-q'], { env: runEnv });
    report('verification-codes create (postgres)', compare(create(pgEnv), create(env)), 'the same on sqlite');
  } finally {
    stopCluster(cluster.dir);
  }
}
