/**
 * `-V` and `--version`. `-V` prints the name and version on one line, as the Peridio CLI
 * does; `--version` adds what a bug report needs: Node, the platform, the SQLite and
 * SQLite3 Multiple Ciphers versions (these load the SQLite addon, a few milliseconds)
 * and whether this is the release executable. `--json` gives all of it as one document.
 */
import type { Command } from 'commander';
import type { ResultStream } from './output.js';

/** Thrown by the version options' handlers; `main` prints the version and exits 0. */
export class VersionRequested extends Error {
  constructor(readonly detailed: boolean) {
    super('version requested');
  }
}

/** Adds `-V` and `--version` to the root command. */
export function addVersionOptions(program: Command): void {
  program.option('-V', 'print the name and version').option('--version', 'print the version, Node, the platform and the SQLite versions');
  // Handled as the option is parsed, as commander's own version option is, so that
  // nothing else runs and `peridio --version` needs no command.
  program.on('option:V', () => {
    throw new VersionRequested(false);
  });
  program.on('option:version', () => {
    throw new VersionRequested(true);
  });
}

/** What `--version --json` prints. */
export interface VersionReport {
  name: 'vericode';
  version: string;
  node: string;
  platform: string;
  sqlite: string | null;
  sqlite3mc: string | null;
  /** Why the SQLite addon did not load, when it did not. */
  sqlite_error: string | null;
  release_executable: boolean;
}

/** Gathers the version report (loading the SQLite addon). */
export async function versionReport(version: string): Promise<VersionReport> {
  const { sqliteVersions } = await import('../store/sqlite.js');
  const { isReleaseExecutable } = await import('../store/sea-binding.js');
  let sqlite: { sqlite: string; sqlite3mc: string } | undefined;
  let sqliteError: string | null = null;
  try {
    sqlite = sqliteVersions();
  } catch (error) {
    sqliteError = (error as Error).message;
  }
  return {
    name: 'vericode',
    version,
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    sqlite: sqlite?.sqlite ?? null,
    sqlite3mc: sqlite?.sqlite3mc ?? null,
    sqlite_error: sqliteError,
    release_executable: isReleaseExecutable(),
  };
}

/** Prints the version for `request`, as text or JSON. */
export async function printVersion(stdout: ResultStream, version: string, request: VersionRequested, json: boolean): Promise<void> {
  if (!request.detailed && !json) {
    stdout.write(`vericode ${version}\n`);
    return;
  }
  const report = await versionReport(version);
  if (json) {
    stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const lines = [
    `vericode ${report.version}`,
    `node       ${report.node}`,
    `platform   ${report.platform}`,
    `sqlite     ${report.sqlite ?? `unavailable: ${report.sqlite_error}`}`,
    `sqlite3mc  ${report.sqlite3mc ?? 'unavailable'}`,
    `build      ${report.release_executable ? 'release executable' : 'npm'}`,
  ];
  stdout.write(`${lines.join('\n')}\n`);
}
