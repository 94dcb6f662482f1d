/** `peridio store info` */
import { Command } from 'commander';
import { storeInfo, type StoreInfo } from '../../../core/store-info.js';
import type { Cli } from '../../cli.js';
import { documented } from '../../help.js';
import type { Rendering } from '../../output.js';

const rendering: Rendering<StoreInfo> = {
  quiet: (info) => info.path,
  human: (info, view) =>
    view.fields([
      ['path', info.path],
      ['format', info.format],
      ['key mode', info.key_mode],
      ['schema version', info.schema_version],
      ['size', `${info.size_bytes} bytes${(info.wal_bytes ?? 0) > 0 ? ` (+ ${info.wal_bytes} bytes of WAL)` : ''}`],
      [
        'free',
        `${info.free_bytes} bytes${info.auto_vacuum === undefined || info.auto_vacuum === 'incremental' ? '' : ' (given back by: store purge --compact)'}`,
      ],
      ['organizations', info.organizations],
      ...Object.entries(info.records).map(
        ([kind, counts]) =>
          [
            kind.replaceAll('_', ' '),
            Object.entries(counts)
              .map(([status, n]) => `${n} ${status}`)
              .join(', '),
          ] as const,
      ),
      ['audit events', info.audit.events],
      ['audit head', info.audit.head_hash],
    ]),
};

export function infoCommand(cli: Cli): Command {
  const command = new Command('info').action(async () => {
    cli.output.result(await storeInfo(await cli.core()), rendering);
  });
  return documented(command, {
    summary: 'show where the store is, how it is encrypted and what it holds (never the key)',
    examples: ['peridio store info', 'peridio store info --json'],
  });
}
