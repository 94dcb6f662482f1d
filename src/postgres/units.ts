/** The reader and writer a unit of work gets: every operation of the port, on one session. */
import type { StoreReader, StoreWriter } from '../core/store-port.js';
import { auditLedgerReads } from './operations/audit-ledger.js';
import { auditAppend, auditReads, type AuditHead } from './operations/audit-log.js';
import { caCertificateReads, caCertificateWrites } from './operations/ca-certificates.js';
import { oneTimeCodeReads, oneTimeCodeWrites } from './operations/one-time-codes.js';
import { purgeWrites, recordCountReads } from './operations/record-counts.js';
import { settingsReads, settingsWrites } from './operations/settings.js';
import { tableRowReads, tableRowWrites } from './operations/table-rows.js';
import { verificationCodeReads, verificationCodeWrites } from './operations/verification-codes.js';
import type { Session } from './session.js';

export function readerOn(session: Session): StoreReader {
  return {
    ...settingsReads(session),
    ...verificationCodeReads(session),
    ...caCertificateReads(session),
    ...oneTimeCodeReads(session),
    ...recordCountReads(session),
    ...auditReads(session),
    ...auditLedgerReads(session),
    ...tableRowReads(session),
  };
}

/** A writer on a session whose transaction holds the audit head's row lock, read as `head`. */
export function writerOn(session: Session, head: AuditHead): StoreWriter {
  return {
    ...readerOn(session),
    ...settingsWrites(session),
    ...verificationCodeWrites(session),
    ...caCertificateWrites(session),
    ...oneTimeCodeWrites(session),
    ...purgeWrites(session),
    ...auditAppend(session, head),
    ...tableRowWrites(session, head),
  };
}
