/** Flags shared by `ca-certificates create` and `update`: status and JITP settings. */
import { Option, type Command } from 'commander';
import type { CaCertificateStatus } from '../../../core/ca-certificates/ca-certificate.js';
import type { JitpInput } from '../../../core/ca-certificates/jitp.js';

/** The raw values of the shared flags, as commander parses them. */
export interface SharedCaOptions {
  active?: boolean;
  inactive?: boolean;
  jitpDescription?: string;
  jitpTags?: string;
  jitpProductName?: string;
  jitpTarget?: string;
  jitpCohortPrn?: string;
}

/** Adds `--active`/`--inactive` and the `--jitp-…` flags. */
export function addSharedCaOptions(command: Command, activeHelp: string): Command {
  return command
    .addOption(new Option('--active', activeHelp).conflicts('inactive'))
    .addOption(new Option('--inactive', 'exclude the CA from device checks'))
    .option('--jitp-description <text>', 'JITP: a description of the provisioning')
    .option('--jitp-tags <a,b>', 'JITP: comma-separated tags given to provisioned devices')
    .option('--jitp-product-name <name>', 'JITP: the product devices are provisioned into')
    .option('--jitp-target <target>', 'JITP: the target devices get')
    .option('--jitp-cohort-prn <prn>', 'JITP: the cohort devices join');
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
