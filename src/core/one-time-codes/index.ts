/**
 * One-time codes for users: short (6 digits), long (32 base64url characters) and phrase
 * (12 BIP-39 words) codes tied to a user id and a purpose. Issue, authorize, redeem
 * once, invalidate; list and get show status only.
 */
export { issueOneTimeCode, prepareOneTimeCode, type IssueOneTimeCodeInput, type IssuedOneTimeCode, type PreparedOneTimeCode } from './issue.js';
export { authorizeOneTimeCode, redeemOneTimeCode, type AttemptFailureReason, type PresentOneTimeCodeInput } from './present.js';
export { invalidateOneTimeCodes, type InvalidateOneTimeCodesInput, type InvalidatedOneTimeCodes } from './invalidate.js';
export { getOneTimeCode, listOneTimeCodes, ONE_TIME_CODE_STATUS_FILTERS, type ListOneTimeCodesOptions, type OneTimeCodeStatusFilter } from './query.js';
export { checkPresentedCode, type PresentedCode } from './codec.js';
export { oneTimeCodeStatus, type OneTimeCodeInfo, type OneTimeCodeStatus } from './info.js';
export {
  assertPurpose,
  assertUserId,
  isPurpose,
  isUserId,
  LOCK_DURATION_MS,
  MAX_FAILED_ATTEMPTS,
  MAX_LIVE_SHORT_CODES,
  ONE_TIME_CODE_TTL,
} from './policy.js';
export {
  guessCodeType,
  normalizeLongCode,
  normalizeShortCode,
  ONE_TIME_CODE_TYPES,
  type OneTimeCodeType,
} from '../codes/one-time-code-format.js';
