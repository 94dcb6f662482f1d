/**
 * How users name a CA: by its PRN, or by the name given at registration (see
 * `name-rule.ts`; unique per organization).
 */
import type { CaCertificateRow } from '../records.js';
import type { StoreReader } from '../store-port.js';
import { NotFoundError, UsageError } from '../errors.js';
import { parseResourcePrn } from '../prn.js';
import { isCaName } from './name-rule.js';

export { assertCaName, isCaName } from './name-rule.js';

/**
 * Finds the organization's CA named by `nameOrPrn`. Read inside the caller's unit of work.
 * A PRN of another organization is not found: CAs never cross organizations.
 * @throws UsageError when `nameOrPrn` is neither a CA PRN nor a valid name;
 * NotFoundError when the organization has no such CA.
 */
export async function findCaCertificate(tx: StoreReader, organizationId: string, nameOrPrn: string): Promise<CaCertificateRow> {
  let row: CaCertificateRow | undefined;
  if (nameOrPrn.startsWith('prn:')) {
    const prn = parseResourcePrn(nameOrPrn, 'ca_certificate');
    if (!prn) {
      throw new UsageError(`"${nameOrPrn}" is not a CA certificate PRN`, 'CA certificate PRNs look like prn:1:<org-uuid>:ca_certificate:<uuid>');
    }
    row = prn.organizationId === organizationId ? await tx.findCaCertificateById(organizationId, prn.id) : undefined;
  } else {
    if (!isCaName(nameOrPrn)) {
      throw new UsageError(`"${nameOrPrn}" is neither a CA certificate PRN nor a valid CA certificate name`, {
        text: 'names follow ^[A-Za-z0-9-._]{1,64}$',
        next: { kind: 'list_ca_certificates' },
      });
    }
    row = await tx.findCaCertificateByName(organizationId, nameOrPrn);
  }
  if (!row) throw new NotFoundError(`CA certificate ${nameOrPrn} not found in this organization`, { kind: 'list_ca_certificates' });
  return row;
}
