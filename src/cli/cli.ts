/**
 * The per-run state every command shares: injected dependencies (streams, env,
 * clock, randomness, prompts), the parsed global options, the output writer, and the
 * store, opened on first use and closed when the run ends.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { CoreContext } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { COMMAND } from './output.js';
import type { Clock, RandomSource } from '../core/ports.js';
import type { StoreKey } from '../core/records.js';
import type { StorePort } from '../core/store-port.js';
import { displayLocation, isStoreUrl, openStoreAt } from './open-store.js';
import { Output, type ResultStream } from './output.js';
import type { JsonQuery } from './query.js';
import { inquirerPrompter, type Prompter } from './prompt.js';
import { colorStyle, plainStyle, type Style } from './style.js';
import { escapeText } from './terminal-text.js';
import { exposedFiles, resolveStoreKey, storePath } from './store-access.js';

/** Everything a run of the CLI touches outside itself. */
export interface CliDeps {
  stdin: Readable & { isTTY?: boolean };
  /** Only written to (results, help): a stream, or a plain writer of file descriptor 1 (./direct-stdout.ts). */
  stdout: ResultStream;
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  clock: Clock;
  random: RandomSource;
  /** Defaults to @inquirer/prompts over stdin and stderr. */
  prompter?: Prompter;
  /** The command as the user invoked it, for messages and help (default `peridio`). */
  programName?: string;
}

/** The options every command accepts. */
export interface GlobalOptions {
  store?: string;
  keyFile?: string;
  passphraseFile?: string;
  org?: string;
  organizationName?: string;
  json?: boolean;
  query?: string;
  quiet?: boolean;
  color?: boolean;
  input?: boolean;
  yes?: boolean;
}

export class Cli {
  private store: StorePort | undefined;
  private storeKeyUsed: StoreKey | undefined;
  private cachedOutput: Output | undefined;
  private style: Style = plainStyle;
  private colored = false;
  private query: JsonQuery | undefined;

  constructor(
    readonly deps: CliDeps,
    private readonly program: Command,
  ) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  get output(): Output {
    // stderr is looked up when a message is written, not before (see processDeps).
    const stderr = { write: (text: string) => this.deps.stderr.write(text) };
    this.cachedOutput ??= new Output(this.deps.stdout, stderr, {
      // --query prints JSON, so it quiets notices and hints as --json does.
      json: this.options.json === true || this.query !== undefined,
      quiet: this.options.quiet === true,
      style: this.style,
      colored: this.colored,
      programName: this.programName,
      query: this.query,
    });
    return this.cachedOutput;
  }

  /** The command as the user invoked it (`peridio`, `vericode`). */
  get programName(): string {
    return this.deps.programName ?? 'peridio';
  }

  /**
   * Runs before each action: loads colour support when stdout is a TTY and colour is
   * not disabled, and compiles --query, so a bad expression fails before the command acts.
   */
  async prepareOutput(): Promise<void> {
    const wantsColor = this.deps.stdout.isTTY === true && this.options.color !== false && this.deps.env.NO_COLOR === undefined;
    if (wantsColor && this.options.json !== true && this.options.query === undefined) {
      this.style = await colorStyle();
      this.colored = true;
    }
    if (this.options.query !== undefined) this.query = await (await import('./query.js')).compileQuery(this.options.query);
  }

  /** True when a person can answer a prompt. */
  get canPrompt(): boolean {
    return this.deps.stdin.isTTY === true && this.deps.stderr.isTTY === true && this.options.input !== false && this.deps.env.CI !== 'true';
  }

  /** Prompts whose text (which may name a file or a CA) is escaped like every other message. */
  get prompter(): Prompter {
    const prompter = this.deps.prompter ?? inquirerPrompter(this.deps.stdin, this.deps.stderr);
    return {
      secret: (message) => prompter.secret(escapeText(message)),
      confirm: (message, defaultAnswer) => prompter.confirm(escapeText(message), defaultAnswer),
    };
  }

  /** The store's path for this run. */
  get storePath(): string {
    return storePath(this.options, this.deps.env);
  }

  /**
   * The core context over the store, opening it on first use. With no store and no
   * key source, creates both and says so on stderr.
   */
  async core(): Promise<CoreContext> {
    if (!this.store) {
      const path = this.storePath;
      const remote = isStoreUrl(path);
      const resolution = resolveStoreKey(displayLocation(path), this.options, this.deps.env, this.deps.random, () => this.canPrompt, remote);
      const key: StoreKey =
        resolution.kind === 'prompt'
          ? {
              mode: 'passphrase',
              passphrase: Buffer.from(await this.prompter.secret(`Passphrase for ${displayLocation(path)}`), 'utf8'),
              source: 'the passphrase typed at the prompt',
            }
          : resolution.key;
      const created = !remote && !existsSync(path);
      await this.openStore(path, key, created);
      const keyFile = resolution.kind === 'prompt' ? undefined : resolution.keyFile;
      // Shown with --json and -q too: a script must not make a new key unawares.
      if (resolution.kind === 'created-key-file') {
        this.output.announce(`created a new store at ${path}, encrypted with a new key in ${resolution.keyFile}`);
        this.output.hint(
          `keep the key file safe: without it the store cannot be opened; to use a passphrase instead, run: ${COMMAND} store rekey --new-passphrase`,
        );
      } else if (created) {
        this.output.notice(`created a new store at ${path}`);
      }
      for (const file of exposedFiles([path, keyFile])) {
        this.output.warn(`${file} is readable by other users: run chmod 600 ${file}`);
      }
    }
    return this.context();
  }

  /**
   * Opens (or with `create`, creates) the store with `key` and makes sure it has a
   * default organization. `created` says whether this run made the store.
   */
  async openStore(path: string, key: StoreKey, create: boolean, organizationName?: string): Promise<CoreContext & { created: boolean }> {
    // Loaded here, not at the top: --help, --version and the x509 commands never open
    // a store, and the SQLite binding is the largest thing they would otherwise load.
    const { ensureDefaultOrganization } = await import('../core/organizations.js');
    let created = false;
    const initialize = async (store: StorePort): Promise<void> => {
      await ensureDefaultOrganization({ store, clock: this.deps.clock, random: this.deps.random }, organizationName);
      created = true;
    };
    this.store = await openStoreAt(path, key, { create, initialize });
    this.storeKeyUsed = key;
    return { ...this.context(), created };
  }

  /** The key the open store was unlocked with: `store migrate` encrypts the new store with it by default. */
  get storeKey(): StoreKey {
    if (!this.storeKeyUsed) throw new Error('store is not open');
    return this.storeKeyUsed;
  }

  /**
   * The id of the organization this run acts in: `--org` (PRN or name), else
   * `--organization-name`, else env VERICODE_ORG, else env PERIDIO_ORGANIZATION_NAME,
   * else the store's default.
   */
  async organizationId(): Promise<string> {
    const ctx = await this.core();
    const { resolveOrganizationId } = await import('../core/organizations.js');
    const { org, organizationName } = this.options;
    const { VERICODE_ORG, PERIDIO_ORGANIZATION_NAME } = this.deps.env;
    if (org !== undefined) return await resolveOrganizationId(ctx, org);
    if (organizationName !== undefined) return await resolveOrganizationId(ctx, organizationName, 'name');
    if (VERICODE_ORG) return await resolveOrganizationId(ctx, VERICODE_ORG);
    return await resolveOrganizationId(ctx, PERIDIO_ORGANIZATION_NAME || undefined, 'name');
  }

  /**
   * Asks for confirmation before a destructive step: `-y` skips it; without a person
   * to ask, the command refuses.
   * @throws UsageError when there is no TTY to ask and `-y` was not given, or the
   * user says no.
   */
  async confirm(question: string): Promise<void> {
    if (this.options.yes) return;
    if (!this.canPrompt) throw new UsageError(`${question.replace(/\?$/, '')}: confirmation required`, 'pass -y/--yes to confirm without a prompt');
    if (!(await this.prompter.confirm(question, false))) throw new UsageError('cancelled');
  }

  async close(): Promise<void> {
    await this.store?.close();
  }

  private context(): CoreContext {
    if (!this.store) throw new Error('store is not open');
    return { store: this.store, clock: this.deps.clock, random: this.deps.random };
  }
}
