/**
 * The background flush of the WAL during bulk writes (src/store/wal-flush.ts): one
 * flush at a time, a request during a flush runs once more after it, closing waits,
 * and a log that cannot be opened or flushed is no error (the checkpoint reports it).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { WalFlusher } from '../../src/store/wal-flush.js';
import { testStore } from '../helpers/store.js';

/** A file whose datasyncs end when the test says. */
function fakeFile() {
  const ends: Array<() => void> = [];
  const calls = { datasync: 0, close: 0, opened: 0 };
  const file = {
    datasync: () => {
      calls.datasync += 1;
      return new Promise<void>((resolve) => ends.push(resolve));
    },
    close: async () => {
      calls.close += 1;
    },
  };
  const open = async () => {
    calls.opened += 1;
    return file;
  };
  const settle = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    ends.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { open, calls, settle };
}

describe('WalFlusher', () => {
  it('runs one flush at a time, and once more for any asked for meanwhile', async () => {
    const fake = fakeFile();
    const flusher = new WalFlusher('store.db-wal', fake.open);
    flusher.flush();
    await new Promise((resolve) => setImmediate(resolve));
    flusher.flush();
    flusher.flush();
    expect(fake.calls.datasync).toBe(1);
    await fake.settle();
    expect(fake.calls.datasync).toBe(2);
    const closed = flusher.close();
    await fake.settle();
    await closed;
    expect(fake.calls).toEqual({ datasync: 2, close: 1, opened: 1 });
  });

  it('closes at once when nothing was flushed, and opens nothing', async () => {
    const fake = fakeFile();
    await new WalFlusher('store.db-wal', fake.open).close();
    expect(fake.calls).toEqual({ datasync: 0, close: 0, opened: 0 });
  });

  it('is no error when the log cannot be opened or flushed', async () => {
    const missing = new WalFlusher('/nonexistent/store.db-wal');
    missing.flush();
    await expect(missing.close()).resolves.toBeUndefined();
    const failing = new WalFlusher('store.db-wal', async () => ({
      datasync: () => Promise.reject(new Error('EIO')),
      close: async () => undefined,
    }));
    failing.flush();
    await expect(failing.close()).resolves.toBeUndefined();
  });

  it('bulk writes (which flush the log after each commit) leave no file open', async () => {
    const t = await testStore();
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const before = openFiles();
    await t.ctx.store.withBulkWrites(async () => {
      for (let i = 0; i < 20; i += 1) await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    });
    expect(openFiles()).toBe(before);
    expect(await t.ctx.store.read((tx) => tx.auditLength())).toBe(21);
  });
});
