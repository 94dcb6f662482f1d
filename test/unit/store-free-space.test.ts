// Giving freed pages back to the file system (src/store/free-space.ts).
import { statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { freeBytes, reclaimFreePages } from '../../src/store/free-space.js';
import { testStore } from '../helpers/store.js';

describe('reclaimFreePages', () => {
  it('truncates the file by its free pages, up to 2,048 of them per transaction', async () => {
    const { connection, path } = await testStore();
    // About 3,000 pages (12 MB) freed at once.
    connection.db.exec('CREATE TABLE filler (b BLOB)');
    const insert = connection.db.prepare('INSERT INTO filler VALUES (randomblob(3500))');
    connection.db.transaction(() => {
      for (let i = 0; i < 3000; i += 1) insert.run();
    })();
    connection.db.exec('DROP TABLE filler');
    connection.db.pragma('wal_checkpoint(TRUNCATE)');
    const free = freeBytes(connection);
    expect(free).toBeGreaterThan(2048 * 4096);
    const size = statSync(path).size;
    const write = vi.spyOn(connection, 'write');

    const reclaimed = reclaimFreePages(connection);

    // Two transactions: the pragma frees a page per step, and every step is taken.
    expect(write).toHaveBeenCalledTimes(2);
    // The free pages, and the pointer-map pages that described the truncated tail.
    expect(reclaimed).toBeGreaterThanOrEqual(free);
    expect(reclaimed).toBeLessThan(free + 8 * 4096);
    expect(freeBytes(connection)).toBe(0);
    connection.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(path).size).toBe(size - reclaimed);
  });
});
