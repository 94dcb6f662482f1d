/** Issue 11: `-` is standard input for input files, as in openssl and step; one per run. */
import { describe, expect, it } from 'vitest';
import { expectCleanError, home } from '../helpers/ca-cli-home.js';
import { selfSignedCa, v1Certificate } from '../helpers/mini-ca.js';

const root = selfSignedCa({ subject: 'Stdin Root' });

describe('- as an input file', () => {
  it('ca-certificates create -c - reads the CA from stdin', async () => {
    const h = home();
    const verification = h.write('v.pem', v1Certificate(root, { subject: await h.code() }));
    const run = await h.run(['ca-certificates', 'create', '-c', '-', '-v', verification, '--json'], { stdin: root.pem });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'active', is_verified: true });
  });

  it('-v - reads the verification certificate from stdin', async () => {
    const h = home();
    const verification = v1Certificate(root, { subject: await h.code() });
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', '-', '-q'], { stdin: verification.pem });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
  });

  it('refuses - for two inputs (exit 2) before any code is looked up', async () => {
    const h = home();
    await h.code();
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', '-', '-v', '-'], { stdin: root.pem });
    expect(run).toEqual({
      stdout: '',
      stderr:
        'peridio: error: cannot read verification certificate from standard input: it is already the CA certificate\nperidio: hint: only one input can be - (standard input): give the others as files\n',
      exitCode: 2,
    });
    expect(await h.snapshot()).toEqual(before);
  });

  it('caps stdin at 64 KiB like a file', async () => {
    const h = home();
    const run = await h.run(['ca-certificates', 'create', '-c', '-', '--verified'], { stdin: 'A'.repeat(65537) });
    expectCleanError(run, 2, 'CA certificate on standard input is larger than 64 KiB');
  });
});
