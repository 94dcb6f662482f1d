/**
 * The audit log. Events stay in clear but for their details, which name users,
 * purposes and paths and are sealed: seq, time, action, PRNs, outcome, reason and the
 * hashes are what the log is searched and verified by. Appends go after the head row
 * that every write unit locks first (see ../store.ts), so the chain stays one line
 * whatever the number of writers.
 */
import { eventJson, isJson, type StoredAuditEvent } from '../../core/audit/chain.js';
import type { ChainLink, StoreReader, StoreWriter } from '../../core/store-port.js';
import type { Session } from '../session.js';
import { storedBytesFrom } from './settings.js';

type Reads = Pick<
  StoreReader,
  | 'lastAuditEvent'
  | 'auditLength'
  | 'auditEventAt'
  | 'listAuditEvents'
  | 'firstAuditSeqSince'
  | 'seqOfAuditHash'
  | 'firstSuccessAbout'
  | 'auditStoredBytesFrom'
  | 'auditChainBatch'
>;

/** The log's head as a write unit holds it: the last seq and hash. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** `LIKE` text matching `prefix` literally at the start. */
export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function auditReads(session: Session): Reads {
  const events = (sql: string, params: unknown[] = []): Promise<StoredAuditEvent[]> => session.records<StoredAuditEvent>('audit_events', sql, params);
  const seqOrUndefined = async (sql: string, params: unknown[]): Promise<number | undefined> =>
    (await session.row<{ seq: number | null }>(sql, params))?.seq ?? undefined;
  return {
    lastAuditEvent: async () => (await events('SELECT * FROM audit_events WHERE seq = (SELECT seq FROM audit_head)'))[0],
    auditLength: async () => (await session.row<{ n: number }>("SELECT n FROM record_counts WHERE kind = 'audit_events' AND state = 'all'"))!.n,
    auditEventAt: async (seq) => (await events('SELECT * FROM audit_events WHERE seq = $1', [seq]))[0],
    listAuditEvents: (query) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.sinceAt !== undefined) where.push(`at >= $${params.push(query.sinceAt)}`);
      if (query.action !== undefined) where.push(`(action = $${params.push(query.action)} OR action LIKE $${params.push(likePrefix(`${query.action}.`))})`);
      if (query.afterSeq !== undefined) where.push(`seq > $${params.push(query.afterSeq)}`);
      if (query.beforeSeq !== undefined) where.push(`seq < $${params.push(query.beforeSeq)}`);
      const limit = query.limit ? ` LIMIT $${params.push(query.limit)}` : '';
      return events(
        `SELECT * FROM audit_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${query.order === 'desc' ? ' DESC' : ''}${limit}`,
        params,
      );
    },
    firstAuditSeqSince: (at) => seqOrUndefined('SELECT min(seq) AS seq FROM audit_events WHERE at >= $1', [at]),
    seqOfAuditHash: (hash) => seqOrUndefined('SELECT min(seq) AS seq FROM audit_events WHERE hash = $1', [hash]),
    firstSuccessAbout: (subject, actions) =>
      session.row<{ seq: number; action: string }>(
        "SELECT seq, action FROM audit_events WHERE subject = $1 AND action = ANY ($2) AND outcome = 'success' ORDER BY seq LIMIT 1",
        [subject, actions],
      ),
    auditStoredBytesFrom: () => storedBytesFrom(session),
    auditChainBatch: async (fromSeq, limit) => {
      const batch = await events('SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2', [fromSeq, limit]);
      return batch.map((event): ChainLink => [event.hash, isJson(event.details) ? event.prev_hash + eventJson(event) : null]);
    },
  };
}

/**
 * The append of a write unit whose head row is locked and read as `head`.
 * @throws Error when the event is not the next one after the head.
 */
export function auditAppend(session: Session, head: AuditHead): Pick<StoreWriter, 'appendAuditEvent'> {
  return {
    appendAuditEvent: async (event) => {
      if (event.seq !== head.seq + 1 || event.prev_hash !== head.hash) {
        throw new Error(
          `audit event ${event.seq} does not follow the log's head (event ${head.seq}): it was not built on lastAuditEvent() in this unit of work`,
        );
      }
      await session.insert('audit_events', [event]);
      await session.run('UPDATE audit_head SET seq = $1, hash = $2', [event.seq, event.hash]);
      head.seq = event.seq;
      head.hash = event.hash;
    },
  };
}
