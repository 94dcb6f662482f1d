/**
 * Permission tests need a user the kernel holds to file modes. Tests run as root in
 * CI, and root reads and writes anything, so there the command under test runs as
 * nobody (65534) in a home that nobody owns.
 */
import { chmodSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { cliHome, type CliHome } from './run-cli.js';

export const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Spawn options that drop root to nobody; empty when not running as root. */
export const unprivileged: { uid?: number; gid?: number } = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

/** A `cliHome()` (key file and store directory) that the unprivileged user owns. */
export function unprivilegedHome(): CliHome {
  const home = cliHome();
  chmodSync(home.home, 0o755);
  if (asRoot) for (const path of [home.home, join(home.home, 'data'), home.keyFile]) chownSync(path, NOBODY, NOBODY);
  return home;
}
