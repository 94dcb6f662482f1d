/**
 * CA records written straight into a test store, for tests of listing, lookup,
 * updates and etags that need no real certificate (registration tests use the mini CA).
 */
import { insertCaCertificate, type CaCertificateRow } from '../../src/store/ca-certificates.js';
import type { TestStore } from './store.js';

let counter = 0;

/** Inserts a CA record with distinct id, fingerprint and DER; returns its PRN. */
export function insertTestCa(t: TestStore, overrides: Partial<CaCertificateRow> = {}): { prn: string; row: Omit<CaCertificateRow, 'seq'> } {
  counter += 1;
  const n = counter;
  const now = t.clock.now().getTime();
  const row: Omit<CaCertificateRow, 'seq'> = {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    organization_id: t.organizationId,
    name: `ca-${n}`,
    der: Buffer.from([0x30, 0x03, 0x02, 0x01, n & 0xff]),
    fingerprint_sha256: n.toString(16).padStart(64, '0'),
    subject_der: Buffer.from(`subject-${n}`),
    subject: `CN=Test CA ${n}`,
    issuer: `CN=Test CA ${n}`,
    serial: n.toString(16).padStart(2, '0'),
    not_before: '2024-01-01T00:00:00Z',
    not_after: '2034-01-01T00:00:00Z',
    is_verified: 0,
    status: 'active',
    etag: `e${String(n).padStart(15, '0')}`,
    description: null,
    jitp: null,
    created_at: now,
    updated_at: now,
    ...overrides,
  };
  t.connection.write(() => insertCaCertificate(t.connection, row));
  return { prn: `prn:1:${row.organization_id}:ca_certificate:${row.id}`, row };
}
