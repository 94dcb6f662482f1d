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
import { Cli, type CliDeps } from './cli.js';

/** Fills in a top-level command: its options and action, or its verbs. */
type Configure = (command: Command, cli: Cli) => void;

interface TopLevelCommand {
  name: string;
  summary: string;
  load: () => Promise<Configure>;
}

const TOP_LEVEL: readonly TopLevelCommand[] = [
  { name: 'init', summary: 'create the encrypted store and its default organization', load: async () => (await import('./commands/init.js')).configureInit },
  { name: 'organizations', summary: 'manage organizations: codes and CAs never cross them', load: async () => (await import('./commands/organizations/index.js')).configureOrganizations },
  { name: 'ca-certificates', summary: 'register CA certificates with proof of possession', load: async () => (await import('./commands/ca-certificates/index.js')).configureCaCertificates },
  { name: 'verification-codes', summary: 'issue and inspect CA verification codes (same as ca-certificates verification-codes)', load: async () => (await import('./commands/verification-codes/index.js')).configureVerificationCodes },
  { name: 'codes', summary: 'one-time codes for users: short, long and phrase', load: async () => (await import('./commands/codes/index.js')).configureCodes },
  { name: 'x509', summary: 'make verification certificates, CSRs and development CAs offline', load: async () => (await import('./commands/x509/index.js')).configureX509 },
  { name: 'device-certificates', summary: 'check device certificates against the registered CAs', load: async () => (await import('./commands/device-certificates/index.js')).configureDeviceCertificates },
  { name: 'audit', summary: 'read and check the tamper-evident audit log', load: async () => (await import('./commands/audit/index.js')).configureAudit },
  { name: 'store', summary: 'inspect, back up, re-key and trim the encrypted store', load: async () => (await import('./commands/store/index.js')).configureStore },
];

/** Global options that take a value, so their value is not mistaken for a command. */
const VALUE_OPTIONS = new Set(['--store', '--key-file', '--passphrase-file', '--org', '--query']);

/** Builds the program for `argv` and the per-run `Cli` its commands share. */
export async function buildProgram(deps: CliDeps, version: string, argv: readonly string[]): Promise<{ program: Command; cli: Cli }> {
  const program = new Command();
  const cli = new Cli(deps, program);
  program.name(cli.programName);
  program
    .description('Offline proof-of-possession verification codes for CA certificates, X.509 helpers and one-time codes, kept in an encrypted local store.')
    .version(version, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--store <path>', 'the store file (env VERICODE_STORE)'))
    .addOption(new Option('--key-file <path>', 'unlock the store with this key file (env VERICODE_KEY_FILE)'))
    .addOption(new Option('--passphrase-file <path>', 'read the store passphrase from this file (env VERICODE_PASSPHRASE_FILE, or VERICODE_PASSPHRASE)'))
    .addOption(new Option('--org <prn>', 'act in this organization (env VERICODE_ORG; default: the store\'s default)'))
    .option('--json', 'print results as one JSON document')
    .addOption(new Option('--query <expr>', 'print only what this JMESPath expression selects from the JSON result (implies --json; with -q, strings bare)'))
    .option('-q, --quiet', 'print only the bare value')
    .option('--no-color', 'never colour the output (also NO_COLOR)')
    .option('--no-input', 'never prompt; fail instead when a value is missing')
    .option('-y, --yes', 'answer yes to confirmations')
    .hook('preAction', () => cli.prepareOutput())
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

  const invoked = invokedCommandName(argv);
  for (const entry of TOP_LEVEL) {
    const command = new Command(entry.name).summary(entry.summary).description(entry.summary);
    if (entry.name === invoked) (await entry.load())(command, cli);
    program.addCommand(command);
  }
  inheritSettings(program);
  return { program, cli };
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
