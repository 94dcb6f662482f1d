/** Files under fixtures/: malformed inputs and long-lived vectors (see fixtures/README.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './bin.js';

export { REPO_ROOT };

/** The path of fixtures/`name`. */
export function fixturePath(name: string): string {
  return join(REPO_ROOT, 'fixtures', name);
}

/** The text of fixtures/`name`. */
export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}
