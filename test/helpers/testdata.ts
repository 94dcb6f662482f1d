/**
 * The shared test data (../shared/testdata next to the repository). Worktrees sit
 * deeper than the main checkout, so look in each ancestor directory in turn.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './bin.js';

export { REPO_ROOT };

/** The path of `name` in the nearest ancestor's shared/testdata. */
export function sharedTestdataPath(name: string): string {
  for (let dir = dirname(REPO_ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'testdata', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`shared/testdata/${name} not found above ${REPO_ROOT}`);
  }
}

export function readSharedTestdata(name: string): string {
  return readFileSync(sharedTestdataPath(name), 'utf8');
}
