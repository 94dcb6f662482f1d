/** How organizations are shown, shared by the organizations verbs. */
import type { Organization } from '../../../core/organizations.js';
import type { Page } from '../../../core/pagination.js';
import type { Rendering } from '../../output.js';

export const organizationRendering: Rendering<Organization> = {
  quiet: (o) => o.prn,
  human: (o, view) =>
    view.fields([
      ['prn', o.prn],
      ['name', o.name],
      ['default', o.is_default ? 'yes' : 'no'],
      ['created at', o.created_at],
    ]),
};

export const organizationPageRendering: Rendering<Page<Organization>> = {
  quiet: (page) => page.items.map((o) => o.prn),
  human: (page, view) =>
    view.table(
      ['ID', 'NAME', 'DEFAULT', 'CREATED'],
      page.items.map((o) => [view.id(o.prn), o.name, o.is_default ? '*' : '', o.created_at]),
    ),
};
