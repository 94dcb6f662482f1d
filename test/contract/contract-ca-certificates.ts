/** The contract of CA records: lookups, uniqueness, search and paging, trusted issuers, etag-conditional changes. */
import { describe, expect, it } from 'vitest';
import { caRow, ORG, OTHER_ORG, seeded, T0, type StoreHome } from './fixtures.js';

export function caCertificateContract(fresh: () => Promise<StoreHome>): void {
  describe('CA certificates', () => {
    it('finds a CA by id, name and fingerprint, and counts those of a subject, within its organization', async () => {
      const store = await seeded(await fresh());
      const row = caRow(1, { description: 'line 3 provisioning', jitp: '{"template":"t"}' });
      await store.write(async (tx) => {
        await tx.insertCaCertificate(row);
        await tx.insertCaCertificate(caRow(2, { subject_der: row.subject_der }));
        await tx.insertCaCertificate(caRow(3, { organization_id: OTHER_ORG, subject_der: row.subject_der }));
      });
      await store.read(async (tx) => {
        const found = await tx.findCaCertificateById(ORG, 'ca-1');
        expect(found).toEqual({ ...row, seq: found!.seq });
        expect(await tx.findCaCertificateByName(ORG, 'ca-1')).toEqual(found);
        expect(await tx.findCaCertificateByFingerprint(ORG, row.fingerprint_sha256)).toEqual(found);
        expect(await tx.findCaCertificateByName(OTHER_ORG, 'ca-1')).toBeUndefined();
        expect(await tx.findCaCertificateByName(ORG, 'CA-1')).toBeUndefined();
        expect(await tx.countCaCertificatesWithSubject(ORG, row.subject_der)).toBe(2);
        expect(await tx.countCaCertificatesWithSubject(ORG, Buffer.from('nobody'))).toBe(0);
      });
    });

    it('refuses a second name or fingerprint in one organization, and rolls the unit back', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => tx.insertCaCertificate(caRow(1)));
      await expect(
        store.write(async (tx) => {
          await tx.insertCaCertificate(caRow(2));
          await tx.insertCaCertificate(caRow(3, { name: 'ca-1' }));
        }),
      ).rejects.toThrow();
      await expect(store.write(async (tx) => tx.insertCaCertificate(caRow(4, { fingerprint_sha256: caRow(1).fingerprint_sha256 })))).rejects.toThrow();
      expect(await store.read((tx) => tx.findCaCertificateById(ORG, 'ca-2'))).toBeUndefined();
      // Unnamed CAs and other organizations do not collide.
      await store.write(async (tx) => {
        await tx.insertCaCertificate(caRow(5, { name: null }));
        await tx.insertCaCertificate(caRow(6, { name: null }));
        await tx.insertCaCertificate(caRow(7, { name: 'ca-1', organization_id: OTHER_ORG }));
      });
      expect((await store.read((tx) => tx.countRecords(T0))).ca_certificates).toEqual({ active: 4, inactive: 0, verified: 0, unverified: 4 });
    });

    it('pages newest or oldest first and searches name, subject, description and fingerprint literally, ignoring ASCII case', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertCaCertificate(caRow(1, { name: 'Factory_A', description: '100% tested' }));
        await tx.insertCaCertificate(caRow(2, { name: 'factoryXa', subject: 'CN=Widget Root' }));
        await tx.insertCaCertificate(caRow(3, { name: null, description: 'spare' }));
        await tx.insertCaCertificate(caRow(4, { organization_id: OTHER_ORG, name: 'factory_a' }));
      });
      const names = async (query: { search?: string; limit?: number; cursorSeq?: number; order?: 'asc' | 'desc' }): Promise<Array<string | null>> =>
        (await store.read((tx) => tx.listCaCertificates({ organizationId: ORG, limit: 10, ...query }))).map((row) => row.id);
      expect(await names({})).toEqual(['ca-3', 'ca-2', 'ca-1']);
      expect(await names({ order: 'asc', limit: 1 })).toEqual(['ca-1', 'ca-2']);
      const all = await store.read((tx) => tx.listCaCertificates({ organizationId: ORG, limit: 10, order: 'asc' }));
      expect(await names({ order: 'asc', cursorSeq: all[0]!.seq })).toEqual(['ca-2', 'ca-3']);
      expect(await names({ cursorSeq: all[2]!.seq })).toEqual(['ca-2', 'ca-1']);
      expect(await names({ search: 'factory_a' })).toEqual(['ca-1']);
      expect(await names({ search: 'FACTORY' })).toEqual(['ca-2', 'ca-1']);
      expect(await names({ search: '100%' })).toEqual(['ca-1']);
      expect(await names({ search: '%' })).toEqual(['ca-1']);
      expect(await names({ search: 'widget root' })).toEqual(['ca-2']);
      expect(await names({ search: 'SPARE' })).toEqual(['ca-3']);
      expect(await names({ search: caRow(2).fingerprint_sha256.slice(40) })).toEqual(['ca-2']);
      expect(await names({ search: 'factory', limit: 1 })).toEqual(['ca-2', 'ca-1']);
      expect(await names({ search: 'nothing like it' })).toEqual([]);
    });

    it('searches and pages through hundreds of CAs, the matches spread among them', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        for (let n = 1; n <= 450; n += 1)
          await tx.insertCaCertificate(caRow(n, { der: Buffer.from([n >> 8, n & 0xff]), description: n % 100 === 7 ? 'Needle' : null }));
      });
      const page = (cursorSeq?: number, order?: 'asc' | 'desc') =>
        store.read((tx) => tx.listCaCertificates({ organizationId: ORG, search: 'needle', limit: 2, cursorSeq, order }));
      const first = await page();
      expect(first.map((row) => row.id)).toEqual(['ca-407', 'ca-307', 'ca-207']);
      expect((await page(first[1]!.seq)).map((row) => row.id)).toEqual(['ca-207', 'ca-107', 'ca-7']);
      const ascending = await page(undefined, 'asc');
      expect(ascending.map((row) => row.id)).toEqual(['ca-7', 'ca-107', 'ca-207']);
      expect((await page(ascending[1]!.seq, 'asc')).map((row) => row.id)).toEqual(['ca-207', 'ca-307', 'ca-407']);
    });

    it('finds trusted issuers by subject: verified and active only, oldest first', async () => {
      const store = await seeded(await fresh());
      const subject = Buffer.from('CN=Issuer');
      await store.write(async (tx) => {
        await tx.insertCaCertificate(caRow(1, { subject_der: subject, is_verified: 1 }));
        await tx.insertCaCertificate(caRow(2, { subject_der: subject, is_verified: 0 }));
        await tx.insertCaCertificate(caRow(3, { subject_der: subject, is_verified: 1, status: 'inactive' }));
        await tx.insertCaCertificate(caRow(4, { subject_der: subject, is_verified: 1 }));
        await tx.insertCaCertificate(caRow(5, { subject_der: subject, is_verified: 1, organization_id: OTHER_ORG }));
        await tx.insertCaCertificate(caRow(6, { is_verified: 1 }));
      });
      const trusted = await store.read((tx) => tx.findTrustedCaCertificates(ORG, [subject, Buffer.from('CN=Other'), subject]));
      expect(trusted).toEqual([
        { id: 'ca-1', der: caRow(1).der },
        { id: 'ca-4', der: caRow(4).der },
      ]);
    });

    it('updates and deletes only with the etag the caller read', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => tx.insertCaCertificate(caRow(1)));
      const changes = { is_verified: 1 as const, status: 'inactive' as const, description: 'retired', jitp: '{"a":1}', etag: 'etag-new', updated_at: T0 + 99 };
      expect(await store.write((tx) => tx.updateCaCertificate({ organizationId: ORG, id: 'ca-1', expectedEtag: 'stale' }, changes))).toBeUndefined();
      const updated = await store.write((tx) => tx.updateCaCertificate({ organizationId: ORG, id: 'ca-1', expectedEtag: 'etag-1' }, changes));
      expect(updated).toMatchObject({ id: 'ca-1', name: 'ca-1', ...changes });
      expect(await store.read((tx) => tx.findCaCertificateById(ORG, 'ca-1'))).toEqual(updated);
      expect((await store.read((tx) => tx.countRecords(T0))).ca_certificates).toEqual({ active: 0, inactive: 1, verified: 1, unverified: 0 });
      const cleared = await store.write((tx) =>
        tx.updateCaCertificate({ organizationId: ORG, id: 'ca-1', expectedEtag: 'etag-new' }, { ...changes, description: null, jitp: null, etag: 'etag-3' }),
      );
      expect(cleared).toMatchObject({ description: null, jitp: null });
      expect(await store.write((tx) => tx.deleteCaCertificate({ organizationId: ORG, id: 'ca-1', expectedEtag: 'etag-new' }))).toBe(false);
      expect(await store.write((tx) => tx.deleteCaCertificate({ organizationId: OTHER_ORG, id: 'ca-1', expectedEtag: 'etag-3' }))).toBe(false);
      expect(await store.write((tx) => tx.deleteCaCertificate({ organizationId: ORG, id: 'ca-1', expectedEtag: 'etag-3' }))).toBe(true);
      expect(await store.read((tx) => tx.findCaCertificateByName(ORG, 'ca-1'))).toBeUndefined();
      expect((await store.read((tx) => tx.countRecords(T0))).ca_certificates).toEqual({ active: 0, inactive: 0, verified: 0, unverified: 0 });
    });
  });
}
