/** `peridio ca-certificates update NAME|PRN …` */
import { Command } from 'commander';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import { addSharedCaOptions, jitpFrom, statusFrom, type SharedCaOptions } from './options.js';
import { caRendering } from './render.js';

interface UpdateOptions extends SharedCaOptions {
  description?: string;
  disableJitp?: boolean;
  ifMatch?: string;
}

export function updateCommand(cli: Cli): Command {
  const command = new Command('update')
    .argument('<certificate>', 'the CA\'s name or PRN')
    .option('--description <text>', 'a new description ("" removes it)');
  addSharedCaOptions(command, 'include the CA in device checks')
    .option('--disable-jitp', 'turn just-in-time provisioning off')
    .option('--if-match <etag>', 'only if the CA\'s etag is still this one (default *: any)')
    .action(async (certificate: string, opts: UpdateOptions) => {
      const ctx = await cli.core();
      const { updateCaCertificate } = await import('../../../core/ca-certificates/update.js');
      const updated = updateCaCertificate(ctx, {
        organizationId: await cli.organizationId(),
        certificate,
        ifMatch: opts.ifMatch,
        description: opts.description,
        status: statusFrom(opts),
        jitp: jitpFrom(opts),
        disableJitp: opts.disableJitp === true,
      });
      cli.output.result(updated, caRendering);
    });
  return documented(command, {
    summary: 'change a CA\'s description, status or JITP settings',
    description: 'Change a registered CA\'s description, status or just-in-time provisioning settings. Every change gives the CA a new etag; with --if-match the change applies only if nobody changed the CA since you read it.',
    examples: [
      'peridio ca-certificates update factory-ca --inactive',
      'peridio ca-certificates update factory-ca --jitp-product-name gateway-v2 --if-match 3f9c2a7d01b4e856',
      'peridio ca-certificates update factory-ca --disable-jitp',
    ],
    exitCodes: [[4, 'no such CA in this organization'], [5, 'stale --if-match: the CA changed since you read it']],
  });
}
