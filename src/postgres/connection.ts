/**
 * Connecting to PostgreSQL: the URL as users name it (`location`, without its
 * password), the client settings, and the failures users can act on, as
 * `store_locked` errors that never carry the password.
 */
import pg from 'pg';
import { StoreError, type Hint } from '../core/errors.js';

/** A store's URL, and how it is shown. */
export interface StoreUrl {
  url: string;
  location: string;
  /** The password in the URL, to keep out of every message; empty when none. */
  password: string;
}

const INT8 = 20;
const NUMERIC = 1700;
/** Counts, sums, seqs and epoch-millisecond times come back as numbers (all below 2^53). */
const TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format as 'text')),
};

/** How long a write waits for the audit head's lock before giving up, in milliseconds. */
const LOCK_WAIT_MS = 30_000;
const LOCK_NOT_AVAILABLE = '55P03';

/** True when a statement gave up waiting for a lock (`lock_timeout`). */
export function isLockTimeout(error: unknown): boolean {
  return (error as { code?: string }).code === LOCK_NOT_AVAILABLE;
}

/** Another command held the store's write lock longer than a write waits. */
export function storeBusy(target: StoreUrl, cause: unknown): StoreError {
  return new StoreError(
    'store_locked',
    `store ${target.location} is busy: another command held its write lock too long`,
    'try again; if it stays busy, look for a hung vericode process (pg_stat_activity, application_name vericode)',
    { cause },
  );
}

/** Why a connection broke, as the server said between queries. */
const BROKEN_BY = new WeakMap<pg.Client, Error>();

/** True for the URLs the PostgreSQL store takes. */
function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

/** @throws StoreError (`store_locked`) when `url` is not a PostgreSQL URL. */
export function parseStoreUrl(url: string): StoreUrl {
  let parsed: URL;
  try {
    if (!isPostgresUrl(url)) throw new Error('not postgres');
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      'store_locked',
      'not a PostgreSQL URL',
      'name a store as postgres://user@host:port/database (the password in PGPASSWORD or ~/.pgpass)',
    );
  }
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  parsed.searchParams.delete('password');
  return { url, location: parsed.toString(), password };
}

/**
 * An open connection to the store's database.
 * @throws StoreError (`store_locked`) when the server is down, refuses the login, or has no such database.
 */
export async function connect(target: StoreUrl): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: target.url,
    connectionTimeoutMillis: 15_000,
    // A write waits at most this long for the store's write lock (a URL's ?lock_timeout= wins)…
    lock_timeout: LOCK_WAIT_MS,
    // …and a command that hangs inside a transaction loses it, so it cannot hold that lock for ever.
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'vericode',
    types: TYPES,
  });
  // An error after connecting (the server ended the session) arrives between queries;
  // kept, so the next query's failure can say what happened.
  client.on('error', (error) => BROKEN_BY.set(client, error));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionFailed(target, error);
  }
  return client;
}

/** A failure to connect, as the user can act on it. */
export function connectionFailed(target: StoreUrl, error: unknown): StoreError {
  const code = (error as { code?: string }).code ?? '';
  const message = redact(target, (error as Error).message ?? String(error));
  const at = target.location;
  const hintLogin = 'check the user name and the password (in the URL, PGPASSWORD or ~/.pgpass)';
  const failure = (text: string, hint?: Hint): StoreError => new StoreError('store_locked', text, hint, { cause: error });
  if (code === 'ECONNREFUSED')
    return failure(`cannot connect to ${at}: connection refused`, 'check that the PostgreSQL server is running and listens on that host and port');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return failure(`cannot connect to ${at}: host not found`, 'check the host name in the URL');
  if (code === 'ETIMEDOUT' || /timeout/i.test(message)) return failure(`cannot connect to ${at}: timed out`, 'check the host, the port and the network');
  if (code === '28P01' || code === '28000') return failure(`cannot log in to ${at}: ${message}`, hintLogin);
  if (/SASL|password must be a string/i.test(message)) return failure(`cannot log in to ${at}: the server asks for a password and none was given`, hintLogin);
  if (code === '3D000') return failure(`cannot open ${at}: ${message}`, { kind: 'create_database_and_store', location: at });
  if (isConnectionError(error)) return connectionLost(target, error);
  return failure(`cannot connect to ${at}: ${message}`);
}

/** The connection broke while a command used it: what it was doing did not commit. */
export function connectionLost(target: StoreUrl, error: unknown, client?: pg.Client): StoreError {
  const reason = (client && BROKEN_BY.get(client)) ?? error;
  const message = redact(target, (reason as Error).message ?? String(reason));
  return new StoreError(
    'store_locked',
    `lost the connection to ${target.location}: ${message}`,
    'check that the PostgreSQL server is running, then run the command again',
    { cause: error },
  );
}

/** True for errors that mean the connection is gone, rather than a refused statement. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (
    code.startsWith('08') ||
    code.startsWith('57P') ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    /Connection terminated|not queryable/i.test((error as Error).message ?? '')
  );
}

function redact(target: StoreUrl, text: string): string {
  if (target.password === '') return text;
  return text.split(target.password).join('***').split(encodeURIComponent(target.password)).join('***');
}
