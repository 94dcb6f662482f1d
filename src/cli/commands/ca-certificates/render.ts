/** How registered CA certificates are shown, shared by the ca-certificates verbs. */
import type { CaCertificate } from '../../../core/ca-certificates/ca-certificate.js';
import type { Jitp } from '../../../core/ca-certificates/jitp.js';
import type { Page } from '../../../core/pagination.js';
import { summaryFields } from '../../certificate-summary.js';
import type { HumanView, Rendering } from '../../output.js';

function fields(r: CaCertificate, view: HumanView): string {
  return view.fields([
    ['prn', r.prn],
    ['name', r.name],
    ...summaryFields(r),
    ['verified', r.is_verified ? 'yes' : view.style.yellow('no')],
    ['status', r.status],
    ['etag', r.etag],
    ['description', r.description],
    ['jitp', jitpText(r.jitp)],
    ['created at', r.created_at],
    ['updated at', r.updated_at],
  ]);
}

function jitpText(jitp: Jitp | null): string | null {
  if (jitp === null) return null;
  const parts = [`product ${jitp.product_name}`, `tags ${jitp.tags.join(',')}`];
  if (jitp.target !== null) parts.push(`target ${jitp.target}`);
  if (jitp.cohort_prn !== null) parts.push(`cohort ${jitp.cohort_prn}`);
  return `${parts.join('; ')} (${jitp.description})`;
}

export const caRendering: Rendering<CaCertificate> = {
  quiet: (r) => r.prn,
  human: fields,
};

export const deletedRendering: Rendering<CaCertificate> = {
  quiet: (r) => r.prn,
  human: (r, view) =>
    view.fields([
      ['deleted', r.prn],
      ['name', r.name],
      ['subject', r.subject],
    ]),
};

export const caPageRendering: Rendering<Page<CaCertificate>> = {
  quiet: (page) => page.items.map((r) => r.prn),
  human: (page, view) =>
    view.table(
      ['ID', 'NAME', 'SUBJECT', 'VERIFIED', 'STATUS', 'NOT AFTER'],
      page.items.map((r) => [view.id(r.prn), r.name, r.subject, r.is_verified ? 'yes' : 'no', r.status, r.not_after]),
    ),
};

/** How to refer to a CA in a next-step hint. */
export function caReference(r: CaCertificate): string {
  return r.name ?? r.prn;
}
