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

/** JITP flags as typed (`--jitp-tags a,b` is one comma-separated string). */
export interface JitpInput {
  description?: string;
  tags?: string;
  productName?: string;
  target?: string;
  cohortPrn?: string;
}

const TEXT_LIMIT = { description: 1024, product_name: 128, target: 128 } as const;
const TAG = /^[A-Za-z0-9._:/=+@-]{1,64}$/;
const MAX_TAGS = 50;

/** True when any JITP flag was given. */
export function hasJitpInput(input: JitpInput): boolean {
  return Object.values(input).some((value) => value !== undefined);
}

/**
 * The JITP settings `input` asks for on top of `existing` (null when JITP is off):
 * given fields replace, missing ones are kept. Turning JITP on needs description,
 * tags and product name together.
 * @throws UsageError naming the flag that is missing or malformed, or a cohort PRN
 * of another organization.
 */
export function applyJitpInput(existing: Jitp | null, input: JitpInput, organizationId: string): Jitp {
  const description = input.description === undefined ? existing?.description : text(input.description, '--jitp-description', TEXT_LIMIT.description);
  const tags = input.tags === undefined ? existing?.tags : parseTags(input.tags);
  const productName = input.productName === undefined ? existing?.product_name : text(input.productName, '--jitp-product-name', TEXT_LIMIT.product_name);
  const missing = [
    description === undefined ? '--jitp-description' : undefined,
    tags === undefined ? '--jitp-tags' : undefined,
    productName === undefined ? '--jitp-product-name' : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (missing.length > 0) {
    throw new UsageError(`JITP needs ${missing.join(', ')}`, 'turn JITP on with --jitp-description D --jitp-tags a,b --jitp-product-name P together');
  }
  return {
    description: description!,
    tags: tags!,
    product_name: productName!,
    target: input.target === undefined ? (existing?.target ?? null) : text(input.target, '--jitp-target', TEXT_LIMIT.target),
    cohort_prn: input.cohortPrn === undefined ? (existing?.cohort_prn ?? null) : cohortPrn(input.cohortPrn, organizationId),
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

function text(value: string, flag: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max || /\p{Cc}/u.test(trimmed)) {
    throw new UsageError(`invalid ${flag}: it must be 1 to ${max} printable characters`);
  }
  return trimmed;
}

function parseTags(value: string): string[] {
  const tags = value.split(',').map((tag) => tag.trim());
  const bad = tags.find((tag) => !TAG.test(tag));
  if (bad !== undefined) {
    throw new UsageError(
      `invalid --jitp-tags: ${bad === '' ? 'an empty tag' : `tag "${bad}"`} is not allowed`,
      'tags are comma-separated, each 1 to 64 characters from A-Z, a-z, 0-9 and . _ : / = + @ -',
    );
  }
  if (tags.length > MAX_TAGS) throw new UsageError(`invalid --jitp-tags: at most ${MAX_TAGS} tags`);
  return [...new Set(tags)];
}

function cohortPrn(value: string, organizationId: string): string {
  const match = /^prn:1:([0-9a-f-]{36}):cohort:[0-9a-f-]{36}$/.exec(value.trim());
  if (!match) throw new UsageError(`invalid --jitp-cohort-prn "${value}": expected prn:1:<org-uuid>:cohort:<uuid>`);
  if (match[1] !== organizationId) throw new UsageError(`--jitp-cohort-prn ${value} belongs to another organization`);
  return value.trim();
}
