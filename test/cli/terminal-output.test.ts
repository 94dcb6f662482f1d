/**
 * Issue 10, terminal output: control characters (ESC, the C1 CSI U+009B) and bidi
 * overrides (U+202E) from certificate subjects or argv never reach the terminal raw,
 * in results, errors and commander's own messages; JSON keeps the values exact.
 */
import { describe, expect, it } from 'vitest';
import { home } from '../helpers/ca-cli-home.js';
import { selfSignedCa } from '../helpers/mini-ca.js';
import { runCli, scriptedPrompter } from '../helpers/run-cli.js';

/** CSI 2 J (clear the screen) as a C1 control, then a right-to-left override. */
const HOSTILE = 'Evil\u009b2J\u202egpj.exe';
const SHOWN = 'Evil\\x9b2J\\u202egpj.exe';
/** Every character that acts on a terminal, for asserting none is left. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

async function hostileCa() {
  const h = home();
  const ca = h.write('ca.pem', selfSignedCa({ subject: HOSTILE }));
  const created = await h.run(['ca-certificates', 'create', '-c', ca, '--name', 'evil', '--verified']);
  expect(created.exitCode, created.stderr).toBe(0);
  return { h, created };
}

describe('control and bidi characters in a certificate subject', () => {
  it('are escaped in create, get and list, piped and on a TTY', async () => {
    const { h, created } = await hostileCa();
    expect(created.stdout).toContain(`subject\tCN=${SHOWN}\n`);
    expect(created.stderr).toMatch(/\nperidio: warning: CA certificate evil was registered as verified without proof of possession \(--verified\)\n$/);
    const get = await h.run(['ca-certificates', 'get', 'evil']);
    expect(get.stdout).toContain(`subject\tCN=${SHOWN}\n`);
    expect(get.stdout).not.toMatch(RAW);
    const piped = await h.run(['ca-certificates', 'list']);
    expect(piped.stdout).toMatch(
      new RegExp(`^prn:1:[0-9a-f-]{36}:ca_certificate:[0-9a-f-]{36}\\tevil\\tCN=${SHOWN.replaceAll('\\', '\\\\')}\\tyes\\tactive\\t`),
    );
    const tty = await h.run(['ca-certificates', 'list'], { tty: true });
    // On a terminal: the short id, and the subject cut so the row fits 80 columns.
    expect(tty.stdout.split('\n')[1]).toMatch(/^[0-9a-f]{8} {2}evil {2}CN=Evil\\x9b2J\\u202egpj\.… {2}yes {7}active {2}2026-06-01T00:00:00Z$/);
    for (const line of tty.stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(tty.stdout.replace(/\u001b\[(1|22)m/g, '')).not.toMatch(RAW);
  });

  it('keeps colours of our own on a TTY while escaping the data around them', async () => {
    const { h } = await hostileCa();
    const tty = await h.run(['ca-certificates', 'get', 'evil'], { tty: true });
    expect(tty.stdout).toContain('\u001b[1mname:               \u001b[22m evil\n');
    expect(tty.stdout).toContain(`\u001b[1msubject:            \u001b[22m CN=${SHOWN}\n`);
    expect(tty.stdout.replace(/\u001b\[(1|22)m/g, '')).not.toMatch(RAW);
  });

  it('stay exact in JSON, written as \\u escapes', async () => {
    const { h } = await hostileCa();
    const json = await h.run(['ca-certificates', 'get', 'evil', '--json']);
    expect(json.stdout).toContain('"subject": "CN=Evil\\u009b2J\\u202egpj.exe"');
    expect(json.stdout).not.toMatch(RAW);
    expect((JSON.parse(json.stdout) as { subject: string }).subject).toBe(`CN=${HOSTILE}`);
  });

  it('are escaped in a prompt naming the subject', async () => {
    const { h } = await hostileCa();
    const prompter = scriptedPrompter([false]);
    expect(await h.run(['ca-certificates', 'delete', 'evil'], { tty: true, prompter })).toEqual({
      stdout: '',
      stderr: 'peridio: error: cancelled\n',
      exitCode: 2,
    });
    expect(prompter.asked).toEqual([`delete CA certificate evil (CN=${SHOWN})? devices chaining to it will be refused`]);
  });

  it('are escaped in a conflict error naming the subject', async () => {
    const { h } = await hostileCa();
    const again = await h.run(['ca-certificates', 'create', '-c', `${h.dir}/ca.pem`, '--name', 'evil', '--verified']);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).not.toMatch(RAW);
  });
});

describe('control characters from argv', () => {
  it('are escaped when an argument is echoed in an error', async () => {
    const { h } = await hostileCa();
    expect(await h.run(['ca-certificates', 'get', 'x\u001b[31my'])).toEqual({
      stdout: '',
      stderr:
        'peridio: error: "x\\x1b[31my" is neither a CA certificate PRN nor a valid CA certificate name\nperidio: hint: names follow ^[A-Za-z0-9-._]{1,64}$; see peridio ca-certificates list\n',
      exitCode: 2,
    });
  });

  it("are escaped in commander's own messages", async () => {
    expect(await runCli(['ca-certificates', 'list', '--x\u001b]0;pwned\u0007'])).toEqual({
      stdout: '',
      stderr: "peridio: error: unknown option '--x\\x1b]0;pwned\\x07'\nperidio: hint: see peridio ca-certificates list --help\n",
      exitCode: 2,
    });
    expect(await runCli(['organizations', 'nope\u202e'])).toEqual({
      stdout: '',
      stderr: "peridio: error: unknown command 'nope\\u202e'\nperidio: hint: see peridio organizations --help\n",
      exitCode: 2,
    });
  });

  it('stay exact in a JSON error', async () => {
    const run = await runCli(['ca-certificates', 'list', '--x\u009b', '--json']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('{"error":{"code":"usage","message":"unknown option \'--x\\u009b\'","hint":"see peridio ca-certificates list --help"}}\n');
    expect((JSON.parse(run.stderr) as { error: { message: string } }).error.message).toBe("unknown option '--x\u009b'");
  });
});

describe('x509 create', () => {
  it('escapes a hostile common name in its summary', async () => {
    const h = home();
    const run = await h.run(['x509', 'create', '--ca', '--common-name', HOSTILE, '--key-out', `${h.dir}/ca.key`, '--out', `${h.dir}/ca.pem`]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain(`subject\tCN=${SHOWN}\n`);
    expect(run.stdout).not.toMatch(RAW);
  });
});
