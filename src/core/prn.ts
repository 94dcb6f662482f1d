/**
 * Peridio-style resource names: `prn:1:<org-uuid>` for an organization and
 * `prn:1:<org-uuid>:<kind>:<uuid>` for what lives inside one.
 */
import { UsageError } from './errors.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ORG_PRN = new RegExp(`^prn:1:(${UUID})$`);
const RESOURCE_PRN = new RegExp(`^prn:1:(${UUID}):([a-z_]+):(${UUID})$`);

/** The kinds of resource that live inside an organization. */
export type ResourceKind = 'ca_certificate' | 'ca_verification_code' | 'code';

/** The PRN of an organization. */
export function organizationPrn(organizationId: string): string {
  return `prn:1:${organizationId}`;
}

/** The PRN of a resource of `kind` inside an organization. */
export function resourcePrn(organizationId: string, kind: ResourceKind, id: string): string {
  return `prn:1:${organizationId}:${kind}:${id}`;
}

/**
 * The organization id inside an organization PRN.
 * @throws UsageError when `text` is not an organization PRN.
 */
export function parseOrganizationPrn(text: string): string {
  const match = ORG_PRN.exec(text);
  if (!match) {
    throw new UsageError(`"${text}" is not an organization PRN`, { text: 'organization PRNs look like prn:1:<uuid>', next: { kind: 'list_organizations' } });
  }
  return match[1]!;
}

/** The parts of a resource PRN, or undefined when `text` is not one of `kind`. */
export function parseResourcePrn(text: string, kind: ResourceKind): { organizationId: string; id: string } | undefined {
  const match = RESOURCE_PRN.exec(text);
  if (!match || match[2] !== kind) return undefined;
  return { organizationId: match[1]!, id: match[3]! };
}
