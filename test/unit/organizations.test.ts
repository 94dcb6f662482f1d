import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { createOrganization, getOrganization, listOrganizations, resolveOrganizationId, useOrganization } from '../../src/core/organizations.js';
import { testStore } from '../helpers/store.js';

describe('organizations', () => {
  it('starts with one default organization', () => {
    const t = testStore();
    expect(listOrganizations(t.ctx)).toEqual([
      { prn: `prn:1:${t.organizationId}`, name: 'default', is_default: true, created_at: '2025-01-01T00:00:00Z' },
    ]);
  });

  it('creates, gets and switches the default, auditing each change', () => {
    const t = testStore();
    t.clock.advance(61_000);
    const acme = createOrganization(t.ctx, '  Acme Corp ');
    expect(acme).toEqual({ prn: expect.stringMatching(/^prn:1:[0-9a-f-]{36}$/), name: 'Acme Corp', is_default: false, created_at: '2025-01-01T00:01:01Z' });
    expect(getOrganization(t.ctx, acme.prn)).toEqual(acme);
    expect(useOrganization(t.ctx, acme.prn)).toEqual({ ...acme, is_default: true });
    expect(resolveOrganizationId(t.ctx, undefined)).toBe(acme.prn.slice(6));
    expect(listOrganizations(t.ctx).map((o) => [o.name, o.is_default])).toEqual([['default', false], ['Acme Corp', true]]);
    expect(listAudit(t.ctx).map((e) => [e.action, e.subject])).toEqual([
      ['organization.create', `prn:1:${t.organizationId}`],
      ['organization.create', acme.prn],
      ['organization.use', acme.prn],
    ]);
  });

  it.each(['', '   ', 'x'.repeat(129), 'tab\there'])('rejects the name %j', (name) => {
    const t = testStore();
    expect(() => createOrganization(t.ctx, name)).toThrow('invalid organization name: it must be 1 to 128 printable characters');
  });

  it('distinguishes a malformed PRN (usage) from an unknown one (not found)', () => {
    const t = testStore();
    const unknown = 'prn:1:00000000-0000-4000-8000-000000000000';
    expect(() => getOrganization(t.ctx, 'acme')).toThrowError(expect.objectContaining({ code: 'usage', message: '"acme" is not an organization PRN' }));
    expect(() => getOrganization(t.ctx, unknown)).toThrowError(expect.objectContaining({ code: 'not_found', message: `organization ${unknown} not found` }));
    expect(() => useOrganization(t.ctx, unknown)).toThrowError(expect.objectContaining({ code: 'not_found' }));
    expect(() => resolveOrganizationId(t.ctx, unknown)).toThrowError(expect.objectContaining({ code: 'not_found' }));
    expect(listAudit(t.ctx)).toHaveLength(1);
  });

  it('resolves a name (trimmed, exact case) when one organization has it, by kind', () => {
    const t = testStore();
    const acme = createOrganization(t.ctx, 'Acme Corp');
    const id = acme.prn.slice(6);
    expect(resolveOrganizationId(t.ctx, 'Acme Corp')).toBe(id);
    expect(resolveOrganizationId(t.ctx, ' Acme Corp ', 'name')).toBe(id);
    expect(resolveOrganizationId(t.ctx, acme.prn, 'prn')).toBe(id);
    expect(() => resolveOrganizationId(t.ctx, 'acme corp')).toThrowError(expect.objectContaining({ code: 'not_found', message: 'no organization is named "acme corp"' }));
    expect(() => resolveOrganizationId(t.ctx, 'Acme Corp', 'prn')).toThrowError(expect.objectContaining({ code: 'usage', message: '"Acme Corp" is not an organization PRN' }));
    const twin = createOrganization(t.ctx, 'Acme Corp');
    expect(() => resolveOrganizationId(t.ctx, 'Acme Corp')).toThrowError(expect.objectContaining({
      code: 'usage',
      message: `2 organizations are named "Acme Corp": ${[acme.prn, twin.prn].sort().join(', ')}`,
      hint: 'choose one by its PRN with --org PRN',
    }));
  });
});
