import { describe, expect, it } from 'vitest';
import {
  countCaCertificatesWithSubject,
  deleteCaCertificateRow,
  findCaCertificateByFingerprint,
  findCaCertificateByName,
  insertCaCertificate,
  listCaCertificateRows,
  findTrustedCaCertificates,
  updateCaCertificateRow,
  type CaCertificateRow,
} from '../../src/store/ca-certificates.js';
import { testStore } from '../helpers/store.js';

function row(organizationId: string, n: number, overrides: Partial<CaCertificateRow> = {}): Omit<CaCertificateRow, 'seq'> {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    organization_id: organizationId,
    name: `ca-${n}`,
    der: Buffer.from([0x30, n]),
    fingerprint_sha256: `fp${n}`,
    subject_der: Buffer.from('subject-a'),
    subject: `CN=Example CA ${n}`,
    issuer: `CN=Example CA ${n}`,
    serial: '01',
    not_before: '2024-01-01T00:00:00Z',
    not_after: '2034-01-01T00:00:00Z',
    is_verified: 1,
    status: 'active',
    etag: `etag-${n}`,
    description: null,
    jitp: null,
    created_at: 1_700_000_000_000 + n,
    updated_at: 1_700_000_000_000 + n,
    ...overrides,
  };
}

describe('ca_certificates repository', () => {
  it('finds only verified and active CAs with the given subjects, in registration order, by index', async () => {
    const { connection, organizationId } = await testStore();
    connection.write(() => {
      insertCaCertificate(connection, row(organizationId, 1));
      insertCaCertificate(connection, row(organizationId, 2, { is_verified: 0 }));
      insertCaCertificate(connection, row(organizationId, 3, { status: 'inactive' }));
      insertCaCertificate(connection, row(organizationId, 4, { subject_der: Buffer.from('subject-b') }));
      insertCaCertificate(connection, row(organizationId, 5));
      insertCaCertificate(connection, row(organizationId, 6, { subject_der: Buffer.from('subject-c') }));
    });
    const trusted = (...subjects: string[]) =>
      findTrustedCaCertificates(
        connection,
        organizationId,
        subjects.map((s) => Buffer.from(s)),
      ).map((r) => r.id);
    expect(trusted('subject-a')).toEqual([row(organizationId, 1).id, row(organizationId, 5).id]);
    expect(trusted('subject-b', 'subject-a', 'subject-b')).toEqual([1, 4, 5].map((n) => row(organizationId, n).id));
    expect(trusted('subject-z')).toEqual([]);
    expect(findTrustedCaCertificates(connection, '11111111-1111-4111-8111-111111111111', [Buffer.from('subject-a')])).toEqual([]);
    const plan = connection.db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT seq, id, der FROM ca_certificates INDEXED BY ca_certificates_by_subject WHERE organization_id = ? AND subject_der = ? AND is_verified = 1 AND status = 'active'",
      )
      .all(organizationId, Buffer.from('x')) as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join()).toContain('SEARCH ca_certificates USING INDEX ca_certificates_by_subject (organization_id=? AND subject_der=?)');
  });

  it('keeps names and fingerprints unique per organization', async () => {
    const { connection, organizationId } = await testStore();
    connection.write(() => insertCaCertificate(connection, row(organizationId, 1)));
    expect(() => connection.write(() => insertCaCertificate(connection, row(organizationId, 2, { name: 'ca-1' })))).toThrow(/UNIQUE/);
    expect(() => connection.write(() => insertCaCertificate(connection, row(organizationId, 3, { fingerprint_sha256: 'fp1' })))).toThrow(/UNIQUE/);
    // Unnamed CAs do not collide with each other.
    connection.write(() => {
      insertCaCertificate(connection, row(organizationId, 4, { name: null }));
      insertCaCertificate(connection, row(organizationId, 5, { name: null }));
    });
    expect(findCaCertificateByName(connection, organizationId, 'ca-1')?.id).toBe(row(organizationId, 1).id);
    expect(findCaCertificateByFingerprint(connection, organizationId, 'fp5')?.id).toBe(row(organizationId, 5).id);
    expect(countCaCertificatesWithSubject(connection, organizationId, Buffer.from('subject-a'))).toBe(3);
    expect(countCaCertificatesWithSubject(connection, organizationId, Buffer.from('subject-b'))).toBe(0);
  });

  it('updates and deletes only while the etag still matches', async () => {
    const { connection, organizationId } = await testStore();
    const original = row(organizationId, 1);
    connection.write(() => insertCaCertificate(connection, original));
    const key = { organizationId, id: original.id };
    const changes = { is_verified: 1 as const, status: 'inactive' as const, description: 'd', jitp: null, etag: 'etag-new', updated_at: 5 };
    expect(connection.write(() => updateCaCertificateRow(connection, { ...key, expectedEtag: 'stale' }, changes))).toBeUndefined();
    expect(connection.write(() => updateCaCertificateRow(connection, { ...key, expectedEtag: 'etag-1' }, changes))).toMatchObject({
      status: 'inactive',
      etag: 'etag-new',
      description: 'd',
    });
    expect(connection.write(() => deleteCaCertificateRow(connection, { ...key, expectedEtag: 'etag-1' }))).toBe(false);
    expect(connection.write(() => deleteCaCertificateRow(connection, { ...key, expectedEtag: 'etag-new' }))).toBe(true);
  });

  it('searches literally, newest first', async () => {
    const { connection, organizationId } = await testStore();
    connection.write(() => {
      insertCaCertificate(connection, row(organizationId, 1, { subject: 'CN=Factory 100% CA' }));
      insertCaCertificate(connection, row(organizationId, 2, { subject: 'CN=Factory 1000 CA' }));
      insertCaCertificate(connection, row(organizationId, 3, { description: 'factory line B' }));
    });
    const names = (search: string): Array<string | null> => listCaCertificateRows(connection, { organizationId, search, limit: 10 }).map((r) => r.name);
    expect(names('100%')).toEqual(['ca-1']);
    expect(names('FACTORY')).toEqual(['ca-3', 'ca-2', 'ca-1']);
    expect(names('_')).toEqual([]);
  });
});
