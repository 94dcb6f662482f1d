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
  it('finds a CA by name and by PRN, with the JSON shape of the spec', async () => {
    const t = await testStore();
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
    expect(await getCaCertificate(t.ctx, t.organizationId, 'factory-ca')).toStrictEqual(expected);
    expect(await getCaCertificate(t.ctx, t.organizationId, prn)).toStrictEqual(expected);
  });

  it('tells a bad reference (exit 2) from a missing CA (exit 4), and never crosses organizations', async () => {
    const t = await testStore();
    const { prn } = insertTestCa(t);
    await expect(getCaCertificate(t.ctx, t.organizationId, 'no such name!')).rejects.toThrow(
      expect.objectContaining({ code: 'usage', message: '"no such name!" is neither a CA certificate PRN nor a valid CA certificate name' }),
    );
    await expect(getCaCertificate(t.ctx, t.organizationId, 'prn:1:nope')).rejects.toThrow(expect.objectContaining({ code: 'usage' }));
    await expect(getCaCertificate(t.ctx, t.organizationId, 'missing')).rejects.toThrow(
      expect.objectContaining({ code: 'not_found', message: 'CA certificate missing not found in this organization' }),
    );
    const other = (await createOrganization(t.ctx, 'other')).prn.slice('prn:1:'.length);
    await expect(getCaCertificate(t.ctx, other, prn)).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    await expect(getCaCertificate(t.ctx, other, 'ca-1')).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});

describe('listCaCertificates', () => {
  it('pages newest first and searches', async () => {
    const t = await testStore();
    const names = ['alpha', 'beta', 'gamma'].map((name) => insertTestCa(t, { name, subject: `CN=${name} root` }).row.name);
    const first = await listCaCertificates(t.ctx, { organizationId: t.organizationId, limit: 2 });
    expect(first.items.map((c) => c.name)).toEqual(['gamma', 'beta']);
    expect(first.next_page).not.toBeNull();
    const second = await listCaCertificates(t.ctx, { organizationId: t.organizationId, limit: 2, page: first.next_page! });
    expect(second).toEqual({ items: [expect.objectContaining({ name: 'alpha' })], next_page: null });
    expect((await listCaCertificates(t.ctx, { organizationId: t.organizationId, search: 'BETA R' })).items.map((c) => c.name)).toEqual(['beta']);
    expect(names).toHaveLength(3);
  });

  it('returns an empty page for an empty organization and refuses bad limits', async () => {
    const t = await testStore();
    expect(await listCaCertificates(t.ctx, { organizationId: t.organizationId })).toEqual({ items: [], next_page: null });
    await expect(listCaCertificates(t.ctx, { organizationId: t.organizationId, limit: 0 })).rejects.toThrow('page size 0 is not a whole number from 1 to 1000');
    await expect(listCaCertificates(t.ctx, { organizationId: t.organizationId, search: 'x'.repeat(257) })).rejects.toThrow(
      'search text longer than 256 characters',
    );
  });
});

describe('updateCaCertificate', () => {
  it('changes the etag and updated_at on every change and audits it', async () => {
    const t = await testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca' });
    t.clock.advance(60_000);
    const updated = await updateCaCertificate(t.ctx, {
      organizationId: t.organizationId,
      certificate: 'factory-ca',
      status: 'inactive',
      description: '  line 3 ',
    });
    expect(updated).toMatchObject({ status: 'inactive', description: 'line 3', updated_at: '2025-01-01T00:01:00Z', created_at: '2025-01-01T00:00:00Z' });
    expect(updated.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(updated.etag).not.toBe(row.etag);
    const again = await updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: prn, description: '', ifMatch: `"${updated.etag}"` });
    expect(again.description).toBeNull();
    expect(again.etag).not.toBe(updated.etag);
    expect((await listAudit(t.ctx, { action: 'ca_certificate' })).map((e) => [e.action, e.outcome, e.subject, e.details])).toEqual([
      ['ca_certificate.update', 'success', prn, { changed: ['description', 'status'], status: 'inactive', jitp: false }],
      ['ca_certificate.update', 'success', prn, { changed: ['description'], status: 'inactive', jitp: false }],
    ]);
  });

  it('refuses a stale --if-match with etag_mismatch and changes nothing', async () => {
    const t = await testStore();
    const { row } = insertTestCa(t, { name: 'factory-ca' });
    const before = await getCaCertificate(t.ctx, t.organizationId, 'factory-ca');
    await expect(
      updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', status: 'inactive', ifMatch: 'stale' }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'etag_mismatch',
        message: 'CA certificate factory-ca has changed: its etag is no longer stale',
      }),
    );
    expect(await getCaCertificate(t.ctx, t.organizationId, 'factory-ca')).toStrictEqual(before);
    expect((await updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', status: 'inactive', ifMatch: '*' })).status).toBe(
      'inactive',
    );
    expect(row.etag).toBe(before.etag);
    expect((await listAudit(t.ctx, { action: 'ca_certificate.update' })).map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', 'etag_mismatch'],
      ['success', null],
    ]);
  });

  it('turns JITP on only with description, tags and product name, merges later changes, and turns it off', async () => {
    const t = await testStore();
    insertTestCa(t, { name: 'factory-ca' });
    const target = { organizationId: t.organizationId, certificate: 'factory-ca' };
    await expect(updateCaCertificate(t.ctx, { ...target, jitp: { productName: 'gateway' } })).rejects.toThrow(
      expect.objectContaining({ code: 'usage', message: 'JITP needs its description, tags', missing: ['description', 'tags'] }),
    );
    const on = await updateCaCertificate(t.ctx, { ...target, jitp: { description: 'factory', tags: ['line2', ' eu', 'eu'], productName: 'gateway' } });
    expect(on.jitp).toEqual({ description: 'factory', tags: ['line2', 'eu'], product_name: 'gateway', target: null, cohort_prn: null });
    const cohort = `prn:1:${t.organizationId}:cohort:11111111-2222-4333-8444-555555555555`;
    const merged = await updateCaCertificate(t.ctx, { ...target, jitp: { target: 'arm64', cohortPrn: cohort } });
    expect(merged.jitp).toEqual({ description: 'factory', tags: ['line2', 'eu'], product_name: 'gateway', target: 'arm64', cohort_prn: cohort });
    await expect(updateCaCertificate(t.ctx, { ...target, jitp: { tags: ['a', '', 'b'] } })).rejects.toThrow('invalid JITP tags: an empty tag is not allowed');
    await expect(updateCaCertificate(t.ctx, { ...target, jitp: { target: ' ' } })).rejects.toThrow(
      'invalid JITP target: it must be 1 to 128 printable characters',
    );
    await expect(updateCaCertificate(t.ctx, { ...target, jitp: { cohortPrn: 'cohort-1' } })).rejects.toThrow(
      'invalid JITP cohort PRN "cohort-1": expected prn:1:<org-uuid>:cohort:<uuid>',
    );
    await expect(
      updateCaCertificate(t.ctx, { ...target, jitp: { cohortPrn: 'prn:1:00000000-0000-4000-8000-000000000000:cohort:11111111-2222-4333-8444-555555555555' } }),
    ).rejects.toThrow(
      'invalid JITP cohort PRN "prn:1:00000000-0000-4000-8000-000000000000:cohort:11111111-2222-4333-8444-555555555555": it belongs to another organization',
    );
    await expect(updateCaCertificate(t.ctx, { ...target, disableJitp: true, jitp: { target: 'x' } })).rejects.toThrow(
      'turning JITP off excludes changing its settings',
    );
    expect((await updateCaCertificate(t.ctx, { ...target, disableJitp: true })).jitp).toBeNull();
  });

  it('refuses an update that changes nothing', async () => {
    const t = await testStore();
    insertTestCa(t, { name: 'factory-ca' });
    await expect(updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', jitp: {} })).rejects.toThrow(
      expect.objectContaining({ code: 'usage', message: 'nothing to update' }),
    );
  });
});

describe('deleteCaCertificate', () => {
  it('deletes with a matching or absent --if-match, refuses a stale one', async () => {
    const t = await testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca' });
    await expect(deleteCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', ifMatch: 'stale' })).rejects.toThrow(
      expect.objectContaining({ code: 'etag_mismatch' }),
    );
    expect((await deleteCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', ifMatch: row.etag })).prn).toBe(prn);
    await expect(getCaCertificate(t.ctx, t.organizationId, prn)).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    insertTestCa(t, { name: 'second' });
    expect((await deleteCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'second' })).name).toBe('second');
    expect((await listAudit(t.ctx, { action: 'ca_certificate.delete' })).map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', 'etag_mismatch'],
      ['success', null],
      ['success', null],
    ]);
  });
});

describe('issueBoundVerificationCode', () => {
  it('binds a code to an unverified CA, giving the CA a new etag that the result carries (as Azure does)', async () => {
    const t = await testStore();
    const { prn, row } = insertTestCa(t, { name: 'factory-ca' });
    const issued = await issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'factory-ca', ifMatch: row.etag }, {});
    expect(issued.certificate_prn).toBe(prn);
    expect(issued.code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(issued.certificate_etag).not.toBe(row.etag);
    expect((await getCaCertificate(t.ctx, t.organizationId, prn)).etag).toBe(issued.certificate_etag);
    expect((await listAudit(t.ctx, { action: 'verification_code.create' })).map((e) => e.details.certificate_etag)).toEqual([issued.certificate_etag]);
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId })).items.map((c) => c.certificate_prn)).toEqual([prn]);
  });

  it('refuses a stale etag, a verified CA and a missing CA, issuing nothing', async () => {
    const t = await testStore();
    insertTestCa(t, { name: 'factory-ca' });
    insertTestCa(t, { name: 'done-ca', is_verified: 1 });
    const bind = (certificate: string, ifMatch?: string): Promise<unknown> =>
      issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate, ifMatch }, {});
    await expect(bind('factory-ca', 'stale')).rejects.toThrow(expect.objectContaining({ code: 'etag_mismatch' }));
    await expect(bind('done-ca')).rejects.toThrow(
      expect.objectContaining({ code: 'already_registered', message: 'CA certificate done-ca is already verified: it needs no verification code' }),
    );
    await expect(bind('missing')).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId })).items).toEqual([]);
    expect((await listAudit(t.ctx, { action: 'verification_code.create' })).map((e) => e.reason)).toEqual(['etag_mismatch', 'already_registered', 'not_found']);
  });
});
