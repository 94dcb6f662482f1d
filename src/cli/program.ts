/**
 * The root command: global options, and the noun groups. Commander is set to throw
 * instead of exiting and to write through the injected streams, so the whole CLI
 * runs in-process in tests.
 */
import { Command, Option } from 'commander';
import { Cli, type CliDeps } from './cli.js';
import { auditCommand } from './commands/audit/index.js';
import { caCertificatesCommand } from './commands/ca-certificates/index.js';
import { codesCommand } from './commands/codes/index.js';
import { initCommand } from './commands/init.js';
import { organizationsCommand } from './commands/organizations/index.js';
import { verificationCodesCommand } from './commands/verification-codes/index.js';

/** Builds the program and the per-run `Cli` its commands share. */
export function buildProgram(deps: CliDeps, version: string): { program: Command; cli: Cli } {
  const program = new Command('peridio');
  const cli = new Cli(deps, program);
  program
    .description('Offline proof-of-possession verification codes for CA certificates, X.509 helpers and one-time codes, kept in an encrypted local store.')
    .version(version, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--store <path>', 'the store file (env VERICODE_STORE)'))
    .addOption(new Option('--key-file <path>', 'unlock the store with this key file (env VERICODE_KEY_FILE)'))
    .addOption(new Option('--passphrase-file <path>', 'read the store passphrase from this file (env VERICODE_PASSPHRASE_FILE, or VERICODE_PASSPHRASE)'))
    .addOption(new Option('--org <prn>', 'act in this organization (env VERICODE_ORG; default: the store\'s default)'))
    .option('--json', 'print results as one JSON document')
    .option('-q, --quiet', 'print only the bare value')
    .option('--no-color', 'never colour the output (also NO_COLOR)')
    .option('--no-input', 'never prompt; fail instead when a value is missing')
    .option('-y, --yes', 'answer yes to confirmations')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      // main reports parse errors in the house format.
      outputError: () => {},
    });
  program.configureHelp({ sortSubcommands: false, showGlobalOptions: true });
  program.addCommand(initCommand(cli));
  program.addCommand(organizationsCommand(cli));
  program.addCommand(caCertificatesCommand(cli));
  program.addCommand(verificationCodesCommand(cli, 'verification-codes'));
  program.addCommand(codesCommand(cli));
  program.addCommand(auditCommand(cli));
  for (const command of program.commands) inheritSettings(command, program);
  return { program, cli };
}

/** Sub-commands inherit exitOverride and output settings from the root only when made with .command(). */
function inheritSettings(command: Command, root: Command): void {
  command.copyInheritedSettings(root);
  for (const sub of command.commands) inheritSettings(sub, root);
}
