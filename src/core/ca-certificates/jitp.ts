/**
 * Just-in-time provisioning settings of a CA, as Peridio keeps them: devices whose
 * certificates chain to the CA are provisioned into `product_name` (and optionally a
 * cohort and target), tagged with `tags`. Off (null) unless all of description, tags
 * and product name are given.
 */
import { UsageError } from '../errors.js';

/** A CA's JITP settings. */
export interface Jitp {
  description: string;
  tags: string[];
  product_name: string;
  target: string | null;
  cohort_prn: string | null;
}

/** The fields of the JITP settings, by their stored names. */
export type JitpField = keyof Jitp;

/** JITP fields to set; each one given replaces the stored one. */
export interface JitpInput {
  description?: string;
  tags?: readonly string[];
  productName?: string;
  target?: string;
  cohortPrn?: string;
}

/** What the fields are called in messages. */
const LABEL: Record<JitpField, string> = { description: 'description', tags: 'tags', product_name: 'product name', target: 'target', cohort_prn: 'cohort PRN' };

/** The longest each text field may be. */
export const JITP_TEXT_LIMIT = { description: 1024, product_name: 128, target: 128 } as const;
const TAG = /^[A-Za-z0-9._:/=+@-]{1,64}$/;
const MAX_TAGS = 50;
const COHORT_PRN = /^prn:1:([0-9a-f-]{36}):cohort:[0-9a-f-]{36}$/;

/** A JITP value that is malformed: which field, what is wrong (`problem`), and the value when worth quoting. */
export class JitpValueError extends UsageError {
  constructor(
    readonly field: JitpField,
    readonly problem: string,
    readonly quoted?: string,
    readonly advice?: string,
  ) {
    super(`invalid JITP ${LABEL[field]}${quoted === undefined ? '' : ` "${quoted}"`}: ${problem}`, advice);
  }
}

/** Turning JITP on without all of description, tags and product name: `missing` names those absent. */
export class JitpIncompleteError extends UsageError {
  constructor(readonly missing: readonly JitpField[]) {
    super(`JITP needs its ${missing.map((field) => LABEL[field]).join(', ')}`, 'turn JITP on with a description, tags and a product name together');
  }
}

/** True when any JITP field is given. */
export function hasJitpInput(input: JitpInput): boolean {
  return Object.values(input).some((value) => value !== undefined);
}

/**
 * A text field trimmed, checked against its limit.
 * @throws JitpValueError when empty, too long or holding control characters.
 */
export function jitpText(field: keyof typeof JITP_TEXT_LIMIT, value: string): string {
  const trimmed = value.trim();
  const max = JITP_TEXT_LIMIT[field];
  if (trimmed.length === 0 || trimmed.length > max || /\p{Cc}/u.test(trimmed)) {
    throw new JitpValueError(field, `it must be 1 to ${max} printable characters`);
  }
  return trimmed;
}

/**
 * Tags trimmed, duplicates dropped, each checked.
 * @throws JitpValueError for an empty or malformed tag, or too many.
 */
export function jitpTags(tags: readonly string[]): string[] {
  const trimmed = tags.map((tag) => tag.trim());
  const bad = trimmed.find((tag) => !TAG.test(tag));
  if (bad !== undefined) {
    const problem = `${bad === '' ? 'an empty tag' : `tag "${bad}"`} is not allowed`;
    throw new JitpValueError('tags', problem, undefined, 'each tag is 1 to 64 characters from A-Z, a-z, 0-9 and . _ : / = + @ -');
  }
  if (trimmed.length > MAX_TAGS) throw new JitpValueError('tags', `at most ${MAX_TAGS} tags`);
  return [...new Set(trimmed)];
}

/**
 * A cohort PRN, trimmed, checked for its shape (not yet for its organization).
 * @throws JitpValueError when it is not a cohort PRN.
 */
export function jitpCohortPrn(value: string): string {
  const trimmed = value.trim();
  if (!COHORT_PRN.test(trimmed)) throw new JitpValueError('cohort_prn', 'expected prn:1:<org-uuid>:cohort:<uuid>', value);
  return trimmed;
}

/**
 * The JITP settings `input` asks for on top of `existing` (null when JITP is off):
 * given fields replace, missing ones are kept. Turning JITP on needs description,
 * tags and product name together.
 * @throws JitpValueError for a malformed field or a cohort PRN of another
 * organization, JitpIncompleteError for missing fields.
 */
export function applyJitpInput(existing: Jitp | null, input: JitpInput, organizationId: string): Jitp {
  const description = input.description === undefined ? existing?.description : jitpText('description', input.description);
  const tags = input.tags === undefined ? existing?.tags : jitpTags(input.tags);
  const productName = input.productName === undefined ? existing?.product_name : jitpText('product_name', input.productName);
  const present: Array<[JitpField, unknown]> = [
    ['description', description],
    ['tags', tags],
    ['product_name', productName],
  ];
  const missing = present.filter(([, value]) => value === undefined).map(([field]) => field);
  if (missing.length > 0) throw new JitpIncompleteError(missing);
  return {
    description: description!,
    tags: tags!,
    product_name: productName!,
    target: input.target === undefined ? (existing?.target ?? null) : jitpText('target', input.target),
    cohort_prn: input.cohortPrn === undefined ? (existing?.cohort_prn ?? null) : cohortOf(input.cohortPrn, organizationId),
  };
}

/** JITP settings as stored (JSON text), or null. */
export function storedJitp(jitp: Jitp | null): string | null {
  return jitp === null ? null : JSON.stringify(jitp);
}

/** The settings from their stored JSON text. */
export function parseStoredJitp(stored: string | null): Jitp | null {
  return stored === null ? null : (JSON.parse(stored) as Jitp);
}

function cohortOf(value: string, organizationId: string): string {
  const prn = jitpCohortPrn(value);
  if (COHORT_PRN.exec(prn)![1] !== organizationId) throw new JitpValueError('cohort_prn', 'it belongs to another organization', prn);
  return prn;
}
