/**
 * The few error classes the core throws. Each carries a stable `code` from the
 * table in SPEC section 7; the CLI's `main` is the one place that turns a code into
 * an exit status. Messages are lowercase with no final period, and never contain a
 * plaintext code or key. What to do next is `hint` (advice in domain words) and
 * `next` (a step the front end words, such as a command to run; see next-steps.ts).
 */
import type { NextStep } from './next-steps.js';

export type { NextStep } from './next-steps.js';

/**
 * What an error suggests: advice in domain words, a next step, or both (then the
 * advice comes first).
 */
export type Hint = string | NextStep | { text: string; next: NextStep };

/** Every stable error code a caller may see, grouped by the exit status they map to. */
export const ERROR_CODES = {
  usage: 2,
  invalid_format: 2,
  invalid_certificate: 2,
  verification_failed: 3,
  unknown_code: 3,
  invalid_code: 3,
  not_authorized: 3,
  audit_broken: 3,
  revoked: 3,
  not_found: 4,
  code_used: 5,
  already_registered: 5,
  etag_mismatch: 5,
  locked: 5,
  limit_exceeded: 5,
  code_expired: 6,
  certificate_expired: 6,
  store_locked: 7,
  store_corrupt: 7,
  sqlite_unavailable: 7,
  internal: 1,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class: a failure the user can understand and act on. */
export class VericodeError extends Error {
  readonly code: ErrorCode;
  /** Advice in domain words, naming no command. */
  readonly hint: string | undefined;
  /** The step to take next, for the front end to word (the CLI as a command line). */
  readonly next: NextStep | undefined;

  constructor(code: ErrorCode, message: string, hint?: Hint, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.hint = typeof hint === 'string' ? hint : hint !== undefined && 'text' in hint ? hint.text : undefined;
    this.next = typeof hint === 'object' ? ('text' in hint ? hint.next : hint) : undefined;
  }
}

/** Bad flag, argument, file or input format (exit 2). */
export class UsageError extends VericodeError {
  constructor(message: string, hint?: Hint, code: 'usage' | 'invalid_format' | 'invalid_certificate' = 'usage') {
    super(code, message, hint);
  }
}

/** A proof, code or audit chain did not verify (exit 3). */
export class VerificationError extends VericodeError {
  constructor(code: 'verification_failed' | 'unknown_code' | 'invalid_code' | 'not_authorized' | 'audit_broken' | 'revoked', message: string, hint?: Hint) {
    super(code, message, hint);
  }
}

/** The named record does not exist in this organization (exit 4). */
export class NotFoundError extends VericodeError {
  constructor(message: string, hint?: Hint) {
    super('not_found', message, hint);
  }
}

/** The request conflicts with the current state (exit 5). */
export class ConflictError extends VericodeError {
  constructor(code: 'code_used' | 'already_registered' | 'etag_mismatch' | 'locked' | 'limit_exceeded', message: string, hint?: Hint) {
    super(code, message, hint);
  }
}

/** A code or certificate is outside its validity window (exit 6). */
export class ExpiredError extends VericodeError {
  constructor(code: 'code_expired' | 'certificate_expired', message: string, hint?: Hint) {
    super(code, message, hint);
  }
}

/** The store cannot be opened: wrong or missing key, not a store at all, or no SQLite binding (exit 7). */
export class StoreError extends VericodeError {
  constructor(code: 'store_locked' | 'store_corrupt' | 'sqlite_unavailable', message: string, hint?: Hint, options?: { cause?: unknown }) {
    super(code, message, hint, options);
  }
}

/** The exit status for an error code, per SPEC section 7. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code];
}
