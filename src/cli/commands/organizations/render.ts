/** How organizations are shown, shared by the organizations verbs. */
import type { Organization } from '../../../core/organizations.js';
import type { Rendering } from '../../output.js';

export const organizationRendering: Rendering<Organization> = {
  quiet: (o) => o.prn,
  human: (o, view) => view.fields([['prn', o.prn], ['name', o.name], ['default', o.is_default ? 'yes' : 'no'], ['created at', o.created_at]]),
};

export const organizationListRendering: Rendering<Organization[]> = {
  quiet: (list) => list.map((o) => o.prn),
  human: (list, view) => view.table(['PRN', 'NAME', 'DEFAULT', 'CREATED'], list.map((o) => [o.prn, o.name, o.is_default ? '*' : '', o.created_at])),
};
