import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { createOrganization, getOrganization, listOrganizations, resolveOrganizationId, useOrganization } from '../../src/core/organizations.js';
import { testStore } from '../helpers/store.js';

describe('organizations', () => {
  it('starts with one default organization', async () => {
    const t = await testStore();
    expect(await listOrganizations(t.ctx)).toEqual([
      { prn: `prn:1:${t.organizationId}`, name: 'default', is_default: true, created_at: '2025-01-01T00:00:00Z' },
    ]);
  });

  it('creates, gets and switches the default, auditing each change', async () => {
    const t = await testStore();
    t.clock.advance(61_000);
    const acme = await createOrganization(t.ctx, '  Acme Corp ');
    expect(acme).toEqual({ prn: expect.stringMatching(/^prn:1:[0-9a-f-]{36}$/), name: 'Acme Corp', is_default: false, created_at: '2025-01-01T00:01:01Z' });
    expect(await getOrganization(t.ctx, acme.prn)).toEqual(acme);
    expect(await useOrganization(t.ctx, acme.prn)).toEqual({ ...acme, is_default: true });
    expect(await resolveOrganizationId(t.ctx, undefined)).toBe(acme.prn.slice(6));
    expect((await listOrganizations(t.ctx)).map((o) => [o.name, o.is_default])).toEqual([
      ['default', false],
      ['Acme Corp', true],
    ]);
    expect((await listAudit(t.ctx)).map((e) => [e.action, e.subject])).toEqual([
      ['organization.create', `prn:1:${t.organizationId}`],
      ['organization.create', acme.prn],
      ['organization.use', acme.prn],
    ]);
  });

  it.each(['', '   ', 'x'.repeat(129), 'tab\there'])('rejects the name %j', async (name) => {
    const t = await testStore();
    await expect(createOrganization(t.ctx, name)).rejects.toThrow('invalid organization name: it must be 1 to 128 printable characters');
  });

  it('distinguishes a malformed PRN (usage) from an unknown one (not found)', async () => {
    const t = await testStore();
    const unknown = 'prn:1:00000000-0000-4000-8000-000000000000';
    await expect(getOrganization(t.ctx, 'acme')).rejects.toThrowError(expect.objectContaining({ code: 'usage', message: '"acme" is not an organization PRN' }));
    await expect(getOrganization(t.ctx, unknown)).rejects.toThrowError(
      expect.objectContaining({ code: 'not_found', message: `organization ${unknown} not found` }),
    );
    await expect(useOrganization(t.ctx, unknown)).rejects.toThrowError(expect.objectContaining({ code: 'not_found' }));
    await expect(resolveOrganizationId(t.ctx, unknown)).rejects.toThrowError(expect.objectContaining({ code: 'not_found' }));
    expect(await listAudit(t.ctx)).toHaveLength(1);
  });

  it('resolves a name (trimmed, exact case) when one organization has it, by kind', async () => {
    const t = await testStore();
    const acme = await createOrganization(t.ctx, 'Acme Corp');
    const id = acme.prn.slice(6);
    expect(await resolveOrganizationId(t.ctx, 'Acme Corp')).toBe(id);
    expect(await resolveOrganizationId(t.ctx, ' Acme Corp ', 'name')).toBe(id);
    expect(await resolveOrganizationId(t.ctx, acme.prn, 'prn')).toBe(id);
    await expect(resolveOrganizationId(t.ctx, 'acme corp')).rejects.toThrowError(
      expect.objectContaining({ code: 'not_found', message: 'no organization is named "acme corp"' }),
    );
    await expect(resolveOrganizationId(t.ctx, 'Acme Corp', 'prn')).rejects.toThrowError(
      expect.objectContaining({ code: 'usage', message: '"Acme Corp" is not an organization PRN' }),
    );
    const twin = await createOrganization(t.ctx, 'Acme Corp');
    await expect(resolveOrganizationId(t.ctx, 'Acme Corp')).rejects.toThrowError(
      expect.objectContaining({
        code: 'usage',
        message: `2 organizations are named "Acme Corp": ${[acme.prn, twin.prn].sort().join(', ')}`,
        next: { kind: 'choose_organization_by_prn' },
      }),
    );
  });
});
