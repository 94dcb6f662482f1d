/** `peridio ca-certificates update NAME|PRN …` (or `--prn PRN`) */
import { Command, Option } from 'commander';
import { UsageError } from '../../../core/errors.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import {
  addIfMatchOptions,
  addSharedCaOptions,
  caTarget,
  ifMatchFrom,
  jitpErrorInFlagWords,
  jitpFrom,
  parseDescriptionFlag,
  statusFrom,
  type IfMatchOptions,
  type SharedCaOptions,
} from './options.js';
import { caRendering } from './render.js';

interface UpdateOptions extends SharedCaOptions, IfMatchOptions {
  prn?: string;
  description?: string;
  disableJitp?: boolean;
}

export function updateCommand(cli: Cli): Command {
  const command = new Command('update')
    .argument('[certificate]', "the CA's name or PRN")
    .option('--prn <prn>', "the CA's PRN (the Peridio CLI's spelling)")
    .addOption(new Option('--description <text>', 'a new description ("" removes it)').argParser(parseDescriptionFlag));
  addSharedCaOptions(command, 'include the CA in device checks').option('--disable-jitp', 'turn just-in-time provisioning off');
  addIfMatchOptions(command).action(async (positional: string | undefined, opts: UpdateOptions) => {
    const certificate = caTarget(positional, opts.prn);
    const ifMatch = ifMatchFrom(opts);
    const status = statusFrom(opts);
    const jitp = jitpFrom(opts);
    // Flags are checked before the store is opened; the core checks the same in its own words.
    const changesJitp = Object.values(jitp).some((value) => value !== undefined);
    if (opts.disableJitp && changesJitp) throw new UsageError('--disable-jitp excludes the other --jitp-… flags');
    if (opts.description === undefined && status === undefined && !changesJitp && !opts.disableJitp) {
      throw new UsageError('nothing to update', 'pass --description, --active, --inactive, --jitp-… or --disable-jitp');
    }
    const ctx = await cli.core();
    const { updateCaCertificate } = await import('../../../core/ca-certificates/update.js');
    const updated = await updateCaCertificate(ctx, {
      organizationId: await cli.organizationId(),
      certificate,
      ifMatch,
      description: opts.description,
      status,
      jitp,
      disableJitp: opts.disableJitp === true,
    }).catch((error: unknown) => {
      throw jitpErrorInFlagWords(error);
    });
    cli.output.result(updated, caRendering);
  });
  return documented(command, {
    summary: "change a CA's description, status or JITP settings",
    description:
      "Change a registered CA's description, status or just-in-time provisioning settings. Every change gives the CA a new etag; with --if-match the change applies only if nobody changed the CA since you read it.",
    examples: [
      'peridio ca-certificates update factory-ca --inactive',
      'peridio ca-certificates update factory-ca --jitp-product-name gateway-v2 --if-match 3f9c2a7d01b4e856',
      'peridio ca-certificates update factory-ca --disable-jitp',
      'peridio ca-certificates update --prn prn:1:…:ca_certificate:… --description "line 3" --etag 3f9c2a7d01b4e856',
    ],
    exitCodes: [
      [4, 'no such CA in this organization'],
      [5, 'stale --if-match: the CA changed since you read it'],
    ],
  });
}
