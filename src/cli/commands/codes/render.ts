/** How one-time codes are shown, shared by the codes verbs. */
import type { InvalidatedOneTimeCodes, IssuedOneTimeCode, OneTimeCodeInfo } from '../../../core/one-time-codes/index.js';
import type { Page } from '../../../core/pagination.js';
import type { Rendering } from '../../output.js';

const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

export const issuedRendering: Rendering<IssuedOneTimeCode> = {
  quiet: (r) => r.code,
  human: (r, view) =>
    view.fields([
      ['code', view.style.bold(r.code)],
      ['id', r.id],
      ['type', r.type],
      ['user', r.user_id],
      ['purpose', r.purpose],
      ['authorized', yesNo(r.is_authorized)],
      ['expires at', r.expires_at],
    ]),
};

export const infoRendering: Rendering<OneTimeCodeInfo> = {
  quiet: (r) => r.status,
  human: (r, view) =>
    view.fields([
      ['id', r.id],
      ['status', r.status],
      ['type', r.type],
      ['user', r.user_id],
      ['purpose', r.purpose],
      ['authorized', yesNo(r.is_authorized)],
      ['created at', r.created_at],
      ['expires at', r.expires_at],
      ...(r.consumed_at ? [['consumed at', r.consumed_at] as const] : []),
      ...(r.invalidated_at ? [['invalidated at', r.invalidated_at] as const] : []),
      ...(r.locked_until ? [['locked until', r.locked_until] as const] : []),
    ]),
};

export const pageRendering: Rendering<Page<OneTimeCodeInfo>> = {
  quiet: (page) => page.items.map((r) => r.id),
  human: (page, view) =>
    view.table(
      ['ID', 'TYPE', 'USER', 'PURPOSE', 'STATUS', 'AUTHORIZED', 'EXPIRES'],
      page.items.map((r) => [view.id(r.id), r.type, r.user_id, r.purpose, r.status, yesNo(r.is_authorized), r.expires_at]),
    ),
};

export const invalidatedRendering: Rendering<InvalidatedOneTimeCodes> = {
  quiet: (r) => String(r.invalidated),
  human: (r, view) =>
    view.fields([
      ['user', r.user_id],
      ['purpose', r.purpose],
      ['type', r.type ?? 'all'],
      ['invalidated', r.invalidated],
    ]),
};
