import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { issueBoundVerificationCode } from '../../src/core/ca-certificates/bind-code.js';
import { deleteCaCertificate } from '../../src/core/ca-certificates/delete.js';
import { getCaCertificate, listCaCertificates } from '../../src/core/ca-certificates/query.js';
import { updateCaCertificate } from '../../src/core/ca-certificates/update.js';
import { createOrganization } from '../../src/core/organizations.js';
import { listVerificationCodes } from '../../src/core/verification-codes.js';
import { insertTestCa } from '../helpers/ca-rows.js';
import { testStore } from '../helpers/store.js';

describe('getCaCertificate', () => {
  it('finds a CA by name and by PRN, with the JSON shape of the spec', () => {
    const t = testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca', description: 'line 2' });
    const expected = {
      prn,
      name: 'factory-ca',
      subject: row.subject,
      issuer: row.issuer,
      serial: row.serial,
      fingerprint_sha256: row.fingerprint_sha256,
      not_before: '2024-01-01T00:00:00Z',
      not_after: '2034-01-01T00:00:00Z',
      is_verified: false,
      status: 'active',
      etag: row.etag,
      description: 'line 2',
      jitp: null,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    };
    expect(getCaCertificate(t.ctx, t.organizationId, 'factory-ca')).toStrictEqual(expected);
    expect(getCaCertificate(t.ctx, t.organizationId, prn)).toStrictEqual(expected);
  });

  it('tells a bad reference (exit 2) from a missing CA (exit 4), and never crosses organizations', () => {
    const t = testStore();
    const { prn } = insertTestCa(t);
    expect(() => getCaCertificate(t.ctx, t.organizationId, 'no such name!')).toThrow(expect.objectContaining({ code: 'usage', message: '"no such name!" is neither a CA certificate PRN nor a valid CA certificate name' }));
    expect(() => getCaCertificate(t.ctx, t.organizationId, 'prn:1:nope')).toThrow(expect.objectContaining({ code: 'usage' }));
    expect(() => getCaCertificate(t.ctx, t.organizationId, 'missing')).toThrow(expect.objectContaining({ code: 'not_found', message: 'CA certificate missing not found in this organization' }));
    const other = createOrganization(t.ctx, 'other').prn.slice('prn:1:'.length);
    expect(() => getCaCertificate(t.ctx, other, prn)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => getCaCertificate(t.ctx, other, 'ca-1')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('listCaCertificates', () => {
  it('pages newest first and searches', () => {
    const t = testStore();
    const names = ['alpha', 'beta', 'gamma'].map((name) => insertTestCa(t, { name, subject: `CN=${name} root` }).row.name);
    const first = listCaCertificates(t.ctx, { organizationId: t.organizationId, limit: 2 });
    expect(first.items.map((c) => c.name)).toEqual(['gamma', 'beta']);
    expect(first.next_page).not.toBeNull();
    const second = listCaCertificates(t.ctx, { organizationId: t.organizationId, limit: 2, page: first.next_page! });
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'alpha' })], next_page: null });
    expect(listCaCertificates(t.ctx, { organizationId: t.organizationId, search: 'BETA R' }).items.map((c) => c.name)).toEqual(['beta']);
    expect(names).toHaveLength(3);
  });

  it('returns an empty page for an empty organization and refuses bad limits', () => {
    const t = testStore();
    expect(listCaCertificates(t.ctx, { organizationId: t.organizationId })).toEqual({ items: [], next_page: null });
    expect(() => listCaCertificates(t.ctx, { organizationId: t.organizationId, limit: 0 })).toThrow(/--limit/);
    expect(() => listCaCertificates(t.ctx, { organizationId: t.organizationId, search: 'x'.repeat(257) })).toThrow(/--search/);
  });
});

describe('updateCaCertificate', () => {
  it('changes the etag and updated_at on every change and audits it', () => {
    const t = testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca' });
    t.clock.advance(60_000);
    const updated = updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', status: 'inactive', description: '  line 3 ' });
    expect(updated).toMatchObject({ status: 'inactive', description: 'line 3', updated_at: '2025-01-01T00:01:00Z', created_at: '2025-01-01T00:00:00Z' });
    expect(updated.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(updated.etag).not.toBe(row.etag);
    const again = updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: prn, description: '', ifMatch: `"${updated.etag}"` });
    expect(again.description).toBeNull();
    expect(again.etag).not.toBe(updated.etag);
    expect(listAudit(t.ctx, { action: 'ca_certificate' }).map((e) => [e.action, e.outcome, e.subject, e.details])).toEqual([
      ['ca_certificate.update', 'success', prn, { changed: ['description', 'status'], status: 'inactive', jitp: false }],
      ['ca_certificate.update', 'success', prn, { changed: ['description'], status: 'inactive', jitp: false }],
    ]);
  });

  it('refuses a stale --if-match with etag_mismatch and changes nothing', () => {
    const t = testStore();
    const { row } = insertTestCa(t, { name: 'factory-ca' });
    const before = getCaCertificate(t.ctx, t.organizationId, 'factory-ca');
    expect(() => updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', status: 'inactive', ifMatch: 'stale' })).toThrow(expect.objectContaining({
      code: 'etag_mismatch',
      message: 'CA certificate factory-ca has changed: its etag is no longer stale',
    }));
    expect(getCaCertificate(t.ctx, t.organizationId, 'factory-ca')).toStrictEqual(before);
    expect(updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', status: 'inactive', ifMatch: '*' }).status).toBe('inactive');
    expect(row.etag).toBe(before.etag);
    expect(listAudit(t.ctx, { action: 'ca_certificate.update' }).map((e) => [e.outcome, e.reason])).toEqual([['failure', 'etag_mismatch'], ['success', null]]);
  });

  it('turns JITP on only with description, tags and product name, merges later changes, and turns it off', () => {
    const t = testStore();
    insertTestCa(t, { name: 'factory-ca' });
    const target = { organizationId: t.organizationId, certificate: 'factory-ca' };
    expect(() => updateCaCertificate(t.ctx, { ...target, jitp: { productName: 'gateway' } })).toThrow(expect.objectContaining({ message: 'JITP needs --jitp-description, --jitp-tags' }));
    const on = updateCaCertificate(t.ctx, { ...target, jitp: { description: 'factory', tags: 'line2, eu,eu', productName: 'gateway' } });
    expect(on.jitp).toEqual({ description: 'factory', tags: ['line2', 'eu'], product_name: 'gateway', target: null, cohort_prn: null });
    const cohort = `prn:1:${t.organizationId}:cohort:11111111-2222-4333-8444-555555555555`;
    const merged = updateCaCertificate(t.ctx, { ...target, jitp: { target: 'arm64', cohortPrn: cohort } });
    expect(merged.jitp).toEqual({ description: 'factory', tags: ['line2', 'eu'], product_name: 'gateway', target: 'arm64', cohort_prn: cohort });
    expect(() => updateCaCertificate(t.ctx, { ...target, jitp: { tags: 'a,,b' } })).toThrow(/empty tag/);
    expect(() => updateCaCertificate(t.ctx, { ...target, jitp: { cohortPrn: 'prn:1:00000000-0000-4000-8000-000000000000:cohort:11111111-2222-4333-8444-555555555555' } })).toThrow(/another organization/);
    expect(() => updateCaCertificate(t.ctx, { ...target, disableJitp: true, jitp: { target: 'x' } })).toThrow(/--disable-jitp/);
    expect(updateCaCertificate(t.ctx, { ...target, disableJitp: true }).jitp).toBeNull();
  });

  it('refuses an update that changes nothing', () => {
    const t = testStore();
    insertTestCa(t, { name: 'factory-ca' });
    expect(() => updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', jitp: {} })).toThrow(expect.objectContaining({ code: 'usage', message: 'nothing to update' }));
  });
});

describe('deleteCaCertificate', () => {
  it('deletes with a matching or absent --if-match, refuses a stale one', () => {
    const t = testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca' });
    expect(() => deleteCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', ifMatch: 'stale' })).toThrow(expect.objectContaining({ code: 'etag_mismatch' }));
    expect(deleteCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', ifMatch: row.etag }).prn).toBe(prn);
    expect(() => getCaCertificate(t.ctx, t.organizationId, prn)).toThrow(expect.objectContaining({ code: 'not_found' }));
    insertTestCa(t, { name: 'second' });
    expect(deleteCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'second' }).name).toBe('second');
    expect(listAudit(t.ctx, { action: 'ca_certificate.delete' }).map((e) => [e.outcome, e.reason])).toEqual([['failure', 'etag_mismatch'], ['success', null], ['success', null]]);
  });
});

describe('issueBoundVerificationCode', () => {
  it('binds a code to an unverified CA, giving the CA a new etag that the result carries (as Azure does)', () => {
    const t = testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca' });
    const issued = issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', ifMatch: row.etag }, {});
    expect(issued.certificate_prn).toBe(prn);
    expect(issued.code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(issued.certificate_etag).not.toBe(row.etag);
    expect(getCaCertificate(t.ctx, t.organizationId, prn).etag).toBe(issued.certificate_etag);
    expect(listAudit(t.ctx, { action: 'verification_code.create' }).map((e) => e.details.certificate_etag)).toEqual([issued.certificate_etag]);
    expect(listVerificationCodes(t.ctx, { organizationId: t.organizationId }).items.map((c) => c.certificate_prn)).toEqual([prn]);
  });

  it('refuses a stale etag, a verified CA and a missing CA, issuing nothing', () => {
    const t = testStore();
    insertTestCa(t, { name: 'factory-ca' });
    insertTestCa(t, { name: 'done-ca', is_verified: 1 });
    const bind = (certificate: string, ifMatch?: string): unknown => issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate, ifMatch }, {});
    expect(() => bind('factory-ca', 'stale')).toThrow(expect.objectContaining({ code: 'etag_mismatch' }));
    expect(() => bind('done-ca')).toThrow(expect.objectContaining({ code: 'already_registered', message: 'CA certificate done-ca is already verified: it needs no verification code' }));
    expect(() => bind('missing')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(listVerificationCodes(t.ctx, { organizationId: t.organizationId }).items).toEqual([]);
    expect(listAudit(t.ctx, { action: 'verification_code.create' }).map((e) => e.reason)).toEqual(['etag_mismatch', 'already_registered', 'not_found']);
  });
});
