/**
 * The root command: global options, and the nouns. Only the noun the user typed is
 * loaded and built; the others are listed by name and summary for `--help`. This
 * keeps start-up cost flat as commands are added (`verification-codes create` is run
 * in tight CI loops).
 *
 * Commander is set to throw instead of exiting and to write through the injected
 * streams, so the whole CLI runs in-process in tests.
 */
import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { COMMAND } from './output.js';
import { Cli, type CliDeps } from './cli.js';
import { addVersionOptions } from './version.js';

/** Fills in a top-level command: its options and action, or its verbs. */
type Configure = (command: Command, cli: Cli) => void;

interface TopLevelCommand {
  name: string;
  summary: string;
  load: () => Promise<Configure>;
}

const TOP_LEVEL: readonly TopLevelCommand[] = [
  { name: 'init', summary: 'create the encrypted store and its default organization', load: async () => (await import('./commands/init.js')).configureInit },
  {
    name: 'organizations',
    summary: 'manage organizations: codes and CAs never cross them',
    load: async () => (await import('./commands/organizations/index.js')).configureOrganizations,
  },
  {
    name: 'ca-certificates',
    summary: 'register CA certificates with proof of possession',
    load: async () => (await import('./commands/ca-certificates/index.js')).configureCaCertificates,
  },
  {
    name: 'verification-codes',
    summary: 'issue and inspect CA verification codes (same as ca-certificates verification-codes)',
    load: async () => (await import('./commands/verification-codes/index.js')).configureVerificationCodes,
  },
  { name: 'codes', summary: 'one-time codes for users: short, long and phrase', load: async () => (await import('./commands/codes/index.js')).configureCodes },
  {
    name: 'x509',
    summary: 'make verification certificates, CSRs and development CAs offline',
    load: async () => (await import('./commands/x509/index.js')).configureX509,
  },
  {
    name: 'device-certificates',
    summary: 'check device certificates against the registered CAs',
    load: async () => (await import('./commands/device-certificates/index.js')).configureDeviceCertificates,
  },
  { name: 'audit', summary: 'read and check the tamper-evident audit log', load: async () => (await import('./commands/audit/index.js')).configureAudit },
  {
    name: 'store',
    summary: 'inspect, back up, re-key and trim the encrypted store',
    load: async () => (await import('./commands/store/index.js')).configureStore,
  },
  {
    name: 'completion',
    summary: 'print a shell completion script: bash, zsh or fish',
    load: async () => (await import('./commands/completion.js')).configureCompletion,
  },
];

/** Commands that need every command built: they describe the whole tree. */
const NEEDS_EVERY_COMMAND = new Set(['completion']);

/** The Peridio CLI's cloud options: accepted only to say that this tool works offline. */
const CLOUD_OPTIONS = ['--api-key', '--base-url', '--profile'] as const;

/** Global options that take a value, so their value is not mistaken for a command. */
const VALUE_OPTIONS = new Set(['--store', '--key-file', '--passphrase-file', '--org', '--organization-name', '--query', ...CLOUD_OPTIONS]);

/** Builds the program for `argv` and the per-run `Cli` its commands share. */
export async function buildProgram(deps: CliDeps, argv: readonly string[]): Promise<{ program: Command; cli: Cli }> {
  const program = new Command();
  const cli = new Cli(deps, program);
  program.name(cli.programName);
  addVersionOptions(program);
  program
    .description('Offline proof-of-possession verification codes for CA certificates, X.509 helpers and one-time codes, kept in an encrypted local store.')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--store <path>', 'the store file (env VERICODE_STORE)'))
    .addOption(new Option('--key-file <path>', 'unlock the store with this key file (env VERICODE_KEY_FILE)'))
    .addOption(new Option('--passphrase-file <path>', 'read the store passphrase from this file (env VERICODE_PASSPHRASE_FILE, or VERICODE_PASSPHRASE)'))
    .addOption(new Option('--org <prn|name>', "act in this organization, by PRN or name (env VERICODE_ORG; default: the store's default)"))
    .addOption(new Option('--organization-name <name>', 'act in the organization of this name (env PERIDIO_ORGANIZATION_NAME)').conflicts('org'))
    .option('--json', 'print results as one JSON document')
    .addOption(new Option('--query <expr>', 'print only what this JMESPath expression selects from the JSON result (implies --json; with -q, strings bare)'))
    .option('-q, --quiet', 'print only the bare value')
    .option('--no-color', 'never colour the output (also NO_COLOR)')
    .option('--no-input', 'never prompt; fail instead when a value is missing')
    .option('-y, --yes', 'answer yes to confirmations')
    .hook('preAction', () => {
      refuseCloudOptions(program);
      return cli.prepareOutput();
    })
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      // Help is wrapped on word boundaries to the terminal's width, 80 when piped.
      getOutHelpWidth: () => deps.stdout.columns ?? 80,
      getErrHelpWidth: () => deps.stderr.columns ?? 80,
      // main reports parse errors in the house format.
      outputError: () => {},
    })
    .configureHelp({ showGlobalOptions: true });

  for (const flag of CLOUD_OPTIONS) program.addOption(new Option(`${flag} <value>`).hideHelp());
  const invoked = invokedCommandName(argv);
  for (const entry of TOP_LEVEL) {
    const command = new Command(entry.name).summary(entry.summary).description(entry.summary);
    if (entry.name === invoked || NEEDS_EVERY_COMMAND.has(invoked ?? '')) (await entry.load())(command, cli);
    program.addCommand(command);
  }
  inheritSettings(program);
  return { program, cli };
}

/**
 * The Peridio CLI talks to Peridio's cloud; this tool never does. A script that
 * passes the cloud's options gets that said plainly rather than "unknown option".
 * @throws UsageError naming the first cloud option given.
 */
function refuseCloudOptions(program: Command): void {
  const given = CLOUD_OPTIONS.find((flag) => program.getOptionValue(flag.slice(2).replace(/-(.)/g, (_m, c: string) => c.toUpperCase())) !== undefined);
  if (given) {
    throw new UsageError(
      `${given} is a Peridio cloud option: this ${COMMAND} works offline, on a local encrypted store, and never calls the Peridio API`,
      'drop it; choose the store with --store PATH and the organization with --org or --organization-name',
    );
  }
}

/** The top-level command `argv` invokes (for `help X`, X), skipping global options and their values. */
function invokedCommandName(argv: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < argv.length && words.length < 2; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (VALUE_OPTIONS.has(arg)) i += 1;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return words[0] === 'help' ? words[1] : words[0];
}

/** Commands added with addCommand() do not inherit exitOverride and output settings. */
function inheritSettings(command: Command): void {
  for (const sub of command.commands) {
    sub.copyInheritedSettings(command);
    inheritSettings(sub);
  }
}
