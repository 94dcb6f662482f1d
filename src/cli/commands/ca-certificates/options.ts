/** Flags shared by the ca-certificates verbs: status and JITP settings, `--if-match`/`--etag`, `--prn`. */
import { Option, type Command } from 'commander';
import type { CaCertificateStatus } from '../../../core/ca-certificates/ca-certificate.js';
import { JitpIncompleteError, jitpCohortPrn, jitpTags, jitpText, JitpValueError, type JitpField, type JitpInput } from '../../../core/ca-certificates/jitp.js';
import { UsageError } from '../../../core/errors.js';
import { normalizeEtag } from '../../../core/ca-certificates/etag.js';
import { DESCRIPTION_LIMIT, isCaDescription } from '../../../core/ca-certificates/name-rule.js';
import { COMMAND } from '../../output.js';

/** The raw values of the shared flags, as commander parses them. */
export interface SharedCaOptions {
  active?: boolean;
  inactive?: boolean;
  jitpDescription?: string;
  jitpTags?: string[];
  jitpProductName?: string;
  jitpTarget?: string;
  jitpCohortPrn?: string;
}

/** Adds `--active`/`--inactive` and the `--jitp-…` flags. */
export function addSharedCaOptions(command: Command, activeHelp: string): Command {
  return command
    .addOption(new Option('--active', activeHelp).conflicts('inactive'))
    .addOption(new Option('--inactive', 'exclude the CA from device checks'))
    .addOption(jitpOption('--jitp-description <text>', 'JITP: a description of the provisioning', (text) => jitpText('description', text)))
    .addOption(jitpOption('--jitp-tags <a,b>', 'JITP: comma-separated tags given to provisioned devices', (text) => jitpTags(text.split(','))))
    .addOption(jitpOption('--jitp-product-name <name>', 'JITP: the product devices are provisioned into', (text) => jitpText('product_name', text)))
    .addOption(jitpOption('--jitp-target <target>', 'JITP: the target devices get', (text) => jitpText('target', text)))
    .addOption(jitpOption('--jitp-cohort-prn <prn>', 'JITP: the cohort devices join', jitpCohortPrn));
}

/** The flag of each JITP field. */
const JITP_FLAG: Record<JitpField, string> = {
  description: '--jitp-description',
  tags: '--jitp-tags',
  product_name: '--jitp-product-name',
  target: '--jitp-target',
  cohort_prn: '--jitp-cohort-prn',
};

/** A `--jitp-…` option whose value the core's check reads as commander parses it. */
function jitpOption<T>(flags: string, help: string, check: (text: string) => T): Option {
  return new Option(flags, help).argParser((text: string) => {
    try {
      return check(text);
    } catch (error) {
      throw jitpErrorInFlagWords(error);
    }
  });
}

/**
 * A core JITP error worded with the flags (a malformed value, or the fields that
 * turning JITP on still needs, which depends on the CA's stored settings); any
 * other error as it is.
 */
export function jitpErrorInFlagWords(error: unknown): unknown {
  if (error instanceof JitpValueError) {
    const hint = error.field === 'tags' && error.advice !== undefined ? `tags are comma-separated; ${error.advice}` : error.advice;
    return new UsageError(`invalid ${JITP_FLAG[error.field]}${error.quoted === undefined ? '' : ` "${error.quoted}"`}: ${error.problem}`, hint);
  }
  if (error instanceof JitpIncompleteError) {
    return new UsageError(
      `JITP needs ${error.missing.map((field) => JITP_FLAG[field]).join(', ')}`,
      'turn JITP on with --jitp-description D --jitp-tags a,b --jitp-product-name P together',
    );
  }
  return error;
}

/** The status the flags ask for, or undefined for none. */
export function statusFrom(opts: SharedCaOptions): CaCertificateStatus | undefined {
  if (opts.active) return 'active';
  return opts.inactive ? 'inactive' : undefined;
}

/** The JITP fields the flags give (all undefined when none). */
export function jitpFrom(opts: SharedCaOptions): JitpInput {
  return {
    description: opts.jitpDescription,
    tags: opts.jitpTags,
    productName: opts.jitpProductName,
    target: opts.jitpTarget,
    cohortPrn: opts.jitpCohortPrn,
  };
}

/** `--if-match` and az's spelling of it, `--etag`. */
export interface IfMatchOptions {
  ifMatch?: string;
  etag?: string;
}

/** Adds `--if-match <etag>` and its alias `--etag <etag>` (as `az iot hub certificate` spells it). */
export function addIfMatchOptions(command: Command, help = "only if the CA's etag is still this one (default *: any)"): Command {
  return command
    .addOption(new Option('--if-match <etag>', help))
    .addOption(new Option('--etag <etag>', "the same as --if-match (az's spelling)").conflicts('ifMatch'));
}

/** The etag `--if-match` or `--etag` gives, or undefined for any. */
export function ifMatchFrom(opts: IfMatchOptions): string | undefined {
  const ifMatch = opts.ifMatch ?? opts.etag;
  if (ifMatch !== undefined && normalizeEtag(ifMatch) === '')
    throw new UsageError('invalid --if-match "": expected an etag, or * for any', { kind: 'copy_etag' });
  return ifMatch;
}

/**
 * The CA a verb acts on: the positional NAME|PRN, or `--prn PRN` as the Peridio CLI spells it.
 * @throws UsageError when neither or two different ones are given, or `--prn` is not a PRN.
 */
export function caTarget(positional: string | undefined, prn: string | undefined): string {
  if (prn !== undefined && !prn.startsWith('prn:')) {
    throw new UsageError(`invalid --prn "${prn}": expected a CA certificate PRN`, `pass a name as the argument instead: ${COMMAND} ca-certificates get NAME`);
  }
  if (positional !== undefined && prn !== undefined && positional !== prn) {
    throw new UsageError('give the CA once: as the NAME|PRN argument or with --prn, not both');
  }
  const target = positional ?? prn;
  if (target === undefined) throw new UsageError('missing the CA: pass its NAME or PRN, or --prn PRN');
  return target;
}

/**
 * `--description` text, checked as commander reads it.
 * @throws UsageError when it is too long or holds control characters.
 */
export function parseDescriptionFlag(text: string): string {
  if (isCaDescription(text)) return text;
  throw new UsageError(`invalid --description: it must be at most ${DESCRIPTION_LIMIT} printable characters`);
}
