/**
 * Organizations: the boundary that codes and CAs never cross. A store always has a
 * default organization, made when the store is initialized.
 */
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import { NotFoundError, UsageError } from './errors.js';
import { randomUuid } from './ports.js';
import { organizationPrn, parseOrganizationPrn } from './prn.js';
import type { OrganizationRow } from './records.js';
import type { StoreReader } from './store-port.js';
import { nowWholeSeconds, rfc3339 } from './time.js';

/** An organization as users and scripts see it. */
export interface Organization {
  prn: string;
  name: string;
  is_default: boolean;
  created_at: string;
}

/** The name given to the organization `init` makes when none is named. */
export const DEFAULT_ORGANIZATION_NAME = 'default';

const MAX_NAME_LENGTH = 128;

/**
 * Creates an organization. The first one in a store becomes the default.
 * @throws UsageError for an empty, over-long or control-character name.
 */
export async function createOrganization(ctx: CoreContext, name: string): Promise<Organization> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(trimmed)) {
    throw new UsageError(`invalid organization name: it must be 1 to ${MAX_NAME_LENGTH} printable characters`);
  }
  return ctx.store.write(async (tx) => {
    const row: OrganizationRow = { id: randomUuid(ctx.random), name: trimmed, created_at: nowWholeSeconds(ctx.clock) };
    await tx.insertOrganization(row);
    const defaultId = await tx.defaultOrganizationId();
    const isFirst = defaultId === undefined;
    if (isFirst) await tx.setDefaultOrganizationId(row.id);
    await recordEvent(ctx, tx, {
      action: 'organization.create',
      organization_id: organizationPrn(row.id),
      subject: organizationPrn(row.id),
      outcome: 'success',
      reason: null,
      details: { is_default: isFirst },
    });
    return toOrganization(row, isFirst ? row.id : defaultId);
  });
}

/**
 * Makes sure the store has a default organization, creating one named `name` if not.
 * Returns the default organization and whether it was created now.
 */
export async function ensureDefaultOrganization(ctx: CoreContext, name = DEFAULT_ORGANIZATION_NAME): Promise<{ organization: Organization; created: boolean }> {
  const existing = await ctx.store.read((tx) => tx.defaultOrganizationId());
  if (existing !== undefined) return { organization: await getOrganization(ctx, organizationPrn(existing)), created: false };
  return { organization: await createOrganization(ctx, name), created: true };
}

/** Every organization, oldest first. */
export async function listOrganizations(ctx: CoreContext): Promise<Organization[]> {
  return ctx.store.read(async (tx) => {
    const defaultId = await tx.defaultOrganizationId();
    return (await tx.listOrganizations()).map((row) => toOrganization(row, defaultId));
  });
}

/**
 * One organization by PRN.
 * @throws UsageError for a malformed PRN; NotFoundError when there is no such organization.
 */
export async function getOrganization(ctx: CoreContext, prn: string): Promise<Organization> {
  const id = parseOrganizationPrn(prn);
  return ctx.store.read(async (tx) => {
    const row = await tx.findOrganization(id);
    if (!row) throw unknownOrganization(prn);
    return toOrganization(row, await tx.defaultOrganizationId());
  });
}

/**
 * Makes the organization `prn` the store's default.
 * @throws UsageError for a malformed PRN; NotFoundError when there is no such organization.
 */
export async function useOrganization(ctx: CoreContext, prn: string): Promise<Organization> {
  const id = parseOrganizationPrn(prn);
  return ctx.store.write(async (tx) => {
    const row = await tx.findOrganization(id);
    if (!row) throw unknownOrganization(prn);
    await tx.setDefaultOrganizationId(id);
    await recordEvent(ctx, tx, { action: 'organization.use', organization_id: prn, subject: prn, outcome: 'success', reason: null });
    return toOrganization(row, id);
  });
}

/**
 * The id of the organization a command acts in. `reference` is a PRN (`prn:1:<uuid>`)
 * or, unless `kind` is `'prn'`, an organization's name; `kind: 'name'` takes it as a
 * name only (`--organization-name`). Undefined means the store's default.
 * @throws UsageError for a malformed PRN, or a name that several organizations share;
 * NotFoundError when it does not exist or the store has no default organization.
 */
export async function resolveOrganizationId(
  ctx: CoreContext,
  reference: string | undefined,
  kind: 'prn' | 'name' | 'prn-or-name' = 'prn-or-name',
): Promise<string> {
  return ctx.store.read(async (tx) => {
    if (reference === undefined) {
      const id = await tx.defaultOrganizationId();
      if (id === undefined) throw new NotFoundError('the store has no default organization', { kind: 'create_organization' });
      return id;
    }
    if (kind === 'name' || (kind === 'prn-or-name' && !reference.startsWith('prn:'))) return organizationIdByName(tx, reference);
    const id = parseOrganizationPrn(reference);
    if (!(await tx.findOrganization(id))) throw unknownOrganization(reference);
    return id;
  });
}

/** Organization names need not be unique: a name selects only when exactly one organization has it. */
async function organizationIdByName(tx: StoreReader, name: string): Promise<string> {
  const wanted = name.trim();
  const matches = (await tx.listOrganizations()).filter((row) => row.name === wanted);
  if (matches.length === 0) throw new NotFoundError(`no organization is named "${wanted}"`, { kind: 'list_organizations' });
  if (matches.length > 1) {
    throw new UsageError(`${matches.length} organizations are named "${wanted}": ${matches.map((row) => organizationPrn(row.id)).join(', ')}`, {
      kind: 'choose_organization_by_prn',
    });
  }
  return matches[0]!.id;
}

/**
 * The id of an existing organization given as its PRN or its bare id (what
 * `resolveOrganizationId` returns), for use cases that store it, read in the use
 * case's unit of work.
 * @throws NotFoundError when there is no such organization; UsageError when `idOrPrn` is neither form.
 */
export async function existingOrganizationId(tx: StoreReader, idOrPrn: string): Promise<string> {
  const id = idOrPrn.startsWith('prn:') ? parseOrganizationPrn(idOrPrn) : idOrPrn;
  if (!(await tx.findOrganization(id))) throw unknownOrganization(idOrPrn.startsWith('prn:') ? idOrPrn : organizationPrn(id));
  return id;
}

function unknownOrganization(prn: string): NotFoundError {
  return new NotFoundError(`organization ${prn} not found`, { kind: 'list_organizations' });
}

function toOrganization(row: OrganizationRow, defaultId: string | undefined): Organization {
  return { prn: organizationPrn(row.id), name: row.name, is_default: row.id === defaultId, created_at: rfc3339(row.created_at) };
}
