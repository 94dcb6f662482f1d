/**
 * How a one-time code is shown once issued: its record and derived status, never the
 * code. Status is derived at read time, with expiry exclusive (a code is valid while
 * now < expires_at).
 */
import type { OneTimeCodeRow } from '../records.js';
import type { OneTimeCodeType } from '../codes/one-time-code-format.js';
import { organizationPrn, resourcePrn } from '../prn.js';
import { rfc3339 } from '../time.js';

/** Derived status of a one-time code. */
export type OneTimeCodeStatus = 'active' | 'consumed' | 'expired' | 'invalidated' | 'locked';

/** A one-time code's record as list, get, authorize and redeem show it. */
export interface OneTimeCodeInfo {
  id: string;
  organization_id: string;
  type: OneTimeCodeType;
  user_id: string;
  purpose: string;
  is_authorized: boolean;
  status: OneTimeCodeStatus;
  created_at: string;
  expires_at: string;
  authorized_at: string | null;
  consumed_at: string | null;
  invalidated_at: string | null;
  /** When the (user, purpose) lock ends, while the code is locked; otherwise null. */
  locked_until: string | null;
}

/** The PRN of a one-time code. */
export function oneTimeCodePrn(row: Pick<OneTimeCodeRow, 'organization_id' | 'id'>): string {
  return resourcePrn(row.organization_id, 'code', row.id);
}

/**
 * The status at `now`. A spent code keeps the state it ended in; a live code of a
 * locked (user, purpose) is `locked` until the lock ends.
 */
export function oneTimeCodeStatus(row: Pick<OneTimeCodeRow, 'consumed_at' | 'invalidated_at' | 'expires_at' | 'locked_until'>, now: number): OneTimeCodeStatus {
  if (row.consumed_at !== null) return 'consumed';
  if (row.invalidated_at !== null) return 'invalidated';
  if (now >= row.expires_at) return 'expired';
  if (row.locked_until !== null && now < row.locked_until) return 'locked';
  return 'active';
}

/** The record a row shows at `now`. */
export function toOneTimeCodeInfo(row: OneTimeCodeRow, now: number): OneTimeCodeInfo {
  const status = oneTimeCodeStatus(row, now);
  return {
    id: oneTimeCodePrn(row),
    organization_id: organizationPrn(row.organization_id),
    type: row.type,
    user_id: row.user_id,
    purpose: row.purpose,
    is_authorized: row.is_authorized === 1,
    status,
    created_at: rfc3339(row.created_at),
    expires_at: rfc3339(row.expires_at),
    authorized_at: optionalTime(row.authorized_at),
    consumed_at: optionalTime(row.consumed_at),
    invalidated_at: optionalTime(row.invalidated_at),
    locked_until: status === 'locked' ? optionalTime(row.locked_until) : null,
  };
}

function optionalTime(ms: number | null): string | null {
  return ms === null ? null : rfc3339(ms);
}
