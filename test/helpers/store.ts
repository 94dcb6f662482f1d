/** A key-file store in a temp directory, opened with a fixed clock and seeded randomness. */
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { CoreContext } from '../../src/core/context.js';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import type { Store } from '../../src/store/store.js';
import { fixedClock, type FixedClock } from './clock.js';
import { seededRandom } from './random.js';
import { tempDir } from './temp.js';

/** The raw key every test store is made with. */
export const TEST_KEY = Buffer.alloc(32, 7);

export interface TestStore {
  ctx: CoreContext;
  clock: FixedClock;
  path: string;
  /** The default organization's id. */
  organizationId: string;
  /** The SQLite connection under the port, for tests that read or write rows directly. */
  connection: Store;
}

/** A new store with a default organization, closed when the test ends. */
export async function testStore(options: { seed?: string | number; at?: string; dir?: string } = {}): Promise<TestStore> {
  const path = join(options.dir ?? tempDir(), 'store.db');
  const store = await openSqliteStore(path, { mode: 'key-file', key: TEST_KEY }, { create: true });
  onTestFinished(() => store.close());
  const clock = fixedClock(options.at);
  const ctx: CoreContext = { store, clock, random: seededRandom(options.seed ?? 1) };
  const { organization } = await ensureDefaultOrganization(ctx);
  return { ctx, clock, path, organizationId: organization.prn.slice('prn:1:'.length), connection: store.connection };
}
