/**
 * The records the core keeps, as every store adapter hands them back. Times are epoch
 * milliseconds (whole seconds for the stamps users see); digests and DER are bytes.
 * A record never holds a plaintext code or key.
 */
import type { OneTimeCodeType } from './codes/one-time-code-format.js';

export type { OneTimeCodeType };

/** How a store is unlocked. A passphrase is bytes (a string is taken as UTF-8). */
export type StoreKey = { mode: 'key-file'; key: Uint8Array; keyFile?: string } | { mode: 'passphrase'; passphrase: Uint8Array | string; source?: string };

export interface OrganizationRow {
  id: string;
  name: string;
  created_at: number;
}

export interface VerificationCodeRow {
  seq: number;
  id: string;
  organization_id: string;
  certificate_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** Status filters for listing verification codes; `all` means no filter. */
export type VerificationCodeStatusFilter = 'active' | 'consumed' | 'expired' | 'all';

/** One registered CA: the certificate (DER), its summary as shown to users, and the record's state. */
export interface CaCertificateRow {
  seq: number;
  id: string;
  organization_id: string;
  name: string | null;
  der: Buffer;
  fingerprint_sha256: string;
  subject_der: Buffer;
  subject: string;
  issuer: string;
  serial: string;
  not_before: string;
  not_after: string;
  is_verified: 0 | 1;
  status: 'active' | 'inactive';
  etag: string;
  description: string | null;
  /** JSON text of the JITP settings, or null when JITP is off. */
  jitp: string | null;
  created_at: number;
  updated_at: number;
}

/** The fields an update may change; the rest of a CA record is fixed at registration. */
export type CaCertificateChanges = Pick<CaCertificateRow, 'is_verified' | 'status' | 'description' | 'jitp' | 'etag' | 'updated_at'>;

/** Which CA record a conditional change applies to, and the etag the caller read. */
export interface CaCertificateKey {
  organizationId: string;
  id: string;
  expectedEtag: string;
}

/** A one-time code's record as list and get read it, with its pair's lock. */
export interface OneTimeCodeRow {
  seq: number;
  id: string;
  organization_id: string;
  type: OneTimeCodeType;
  user_id: string;
  purpose: string;
  is_authorized: 0 | 1;
  created_at: number;
  expires_at: number;
  authorized_at: number | null;
  consumed_at: number | null;
  invalidated_at: number | null;
  /** When the pair's lock ends; null when the pair was never locked. */
  locked_until: number | null;
}

/** A one-time code as matching reads it: the digest and, for short codes, its salt and scrypt cost. */
export interface OneTimeCodeCandidate extends Omit<OneTimeCodeRow, 'locked_until'> {
  code_digest: Buffer;
  code_salt: Buffer | null;
  /** log2 of scrypt's N for a short code; null for long and phrase codes. */
  scrypt_log_n: number | null;
}

/** Whose one-time codes: one user and purpose in one organization. */
export interface CodePair {
  organizationId: string;
  userId: string;
  purpose: string;
}

/**
 * When a change happens: `now` (milliseconds) decides whether a code is still valid;
 * `stamp` (whole seconds) is what the record keeps, as users see times.
 */
export interface Instant {
  now: number;
  stamp: number;
}

/** Status filters for listing one-time codes; `all` means no filter. */
export type OneTimeCodeStatusFilter = 'active' | 'consumed' | 'expired' | 'invalidated' | 'locked' | 'all';

/** A pair's consecutive failures and, once locked, when the lock ends. */
export interface AttemptState {
  failures: number;
  locked_until: number | null;
}
