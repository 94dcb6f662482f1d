/**
 * In-process CLI runs for the ca-certificates tests: a private home, certificate
 * files, codes, and a snapshot of what the store holds so a test can prove that a
 * failed attempt changed nothing but the consumed code and the audit log.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestCertificate } from './mini-ca.js';
import { seededRandom } from './random.js';
import { cliHome, runCli, type CliRun, type RunOptions } from './run-cli.js';
import { REPO_ROOT } from './testdata.js';

/** The malformed certificate files of fixtures/x509. */
export const FIXTURES = join(REPO_ROOT, 'fixtures', 'x509');
/** The hint after a failure that spent the code. */
export const CONSUMED_HINT = 'request a new code with: peridio ca-certificates verification-codes create, and sign a new verification certificate with it';

/** A private CLI home with helpers to write files, issue codes and read the store back. */
export interface Home {
  dir: string;
  run(args: readonly string[], options?: RunOptions): Promise<CliRun>;
  write(file: string, content: TestCertificate | string | Buffer): string;
  code(extra?: string[]): Promise<string>;
  snapshot(): Promise<Snapshot>;
}

/** What the store holds, as the CLI lists it. */
export interface Snapshot {
  cas: unknown[];
  codes: Array<{ id: string; status: string }>;
  audit: Array<{ action: string; outcome: string; reason: string | null }>;
}

let seed = 0;

export function home(): Home {
  const h = cliHome();
  const run = (args: readonly string[], options: RunOptions = {}): Promise<CliRun> =>
    runCli(args, { env: h.env, random: seededRandom(`create-${(seed += 1)}`), ...options });
  const json = async <T>(args: string[]): Promise<T> => {
    const result = await run([...args, '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  return {
    dir: h.home,
    run,
    write(file, content) {
      const path = join(h.home, file);
      writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : content.pem);
      return path;
    },
    async code(extra = []) {
      const issued = await run(['ca-certificates', 'verification-codes', 'create', '-q', ...extra]);
      expect(issued.exitCode, issued.stderr).toBe(0);
      return issued.stdout.trim();
    },
    async snapshot() {
      return {
        cas: (await json<{ items: unknown[] }>(['ca-certificates', 'list'])).items,
        codes: (await json<{ items: Array<{ id: string; status: string }> }>(['ca-certificates', 'verification-codes', 'list'])).items,
        audit: (await json<{ items: Snapshot['audit'] }>(['audit', 'list', '--order', 'asc', '--limit', '1000'])).items,
      };
    },
  };
}

/**
 * The store after a failed attempt: CAs unchanged; codes unchanged except `consumed`
 * (now consumed); only failure events appended, besides the consume itself.
 */
export function expectOnlyAudited(before: Snapshot, after: Snapshot, consumed: string[] = []): void {
  expect(after.cas).toEqual(before.cas);
  expect(after.codes).toEqual(before.codes.map((c) => (consumed.includes(c.id) ? { ...c, status: 'consumed', consumed_at: expect.any(String) } : c)));
  expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
  const added = after.audit.slice(before.audit.length);
  expect(added.length).toBeLessThanOrEqual(3);
  for (const event of added) {
    if (event.action === 'verification_code.consume' && event.outcome === 'success') continue;
    expect(event.outcome).toBe('failure');
  }
}

/** A failed run: exit code, nothing on stdout, the first stderr line, no stack trace. */
export function expectCleanError(run: CliRun, exitCode: number, message: string | RegExp): void {
  expect(run.exitCode).toBe(exitCode);
  expect(run.stdout).toBe('');
  const first = run.stderr.split('\n')[0]!;
  if (typeof message === 'string') expect(first).toBe(`peridio: error: ${message}`);
  else expect(first).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}
