import { describe, expect, it } from 'vitest';
import { scriptedPrompter } from '../helpers/run-cli.js';
import { CODE_PRN, codesSession, errorOutput } from './codes-session.js';

const PAIR = ['--user', 'alice', '--purpose', 'add_credential'];
const INVALID_CODE = errorOutput(
  'the code is not valid for this user and purpose',
  'check the code and try again, or issue a new one: codes expire and each can be used once (peridio codes list --user alice --purpose add_credential)',
);
const FORMAT_HINT =
  'type the code exactly as issued: a short code is 6 digits, a long code 32 characters of A-Z, a-z, 0-9, - and _, a phrase 12 BIP-39 English words';
const consumedFields = (type: string) =>
  new RegExp(
    `^id\\t${CODE_PRN}\\nstatus\\tconsumed\\ntype\\t${type}\\nuser\\talice\\npurpose\\tadd_credential\\nauthorized\\tyes\\ncreated at\\t2025-01-01T00:00:00Z\\nexpires at\\t\\S+\\nconsumed at\\t2025-01-01T00:00:00Z\\n$`,
  );

describe('peridio codes redeem', () => {
  it.each(['short', 'long', 'phrase'] as const)('redeems a %s code piped on stdin, once', async (type) => {
    const s = await codesSession();
    const code = await s.issue(type);
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: `${code}\n` })).toEqual({
      stdout: expect.stringMatching(consumedFields(type)),
      stderr: '',
      exitCode: 0,
    });
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: code })).toEqual({ stdout: '', stderr: INVALID_CODE, exitCode: 3 });
  });

  it('prints the status with -q and the record with --json', async () => {
    const s = await codesSession();
    const code = await s.issue('long');
    const run = await s.run(['codes', 'redeem', ...PAIR, '--type', 'long', '--json'], { stdin: code });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      id: expect.stringMatching(new RegExp(`^${CODE_PRN}$`)),
      organization_id: expect.stringMatching(/^prn:1:[0-9a-f-]{36}$/),
      type: 'long',
      user_id: 'alice',
      purpose: 'add_credential',
      is_authorized: true,
      status: 'consumed',
      created_at: '2025-01-01T00:00:00Z',
      expires_at: '2025-01-01T01:00:00Z',
      authorized_at: '2025-01-01T00:00:00Z',
      consumed_at: '2025-01-01T00:00:00Z',
      invalidated_at: null,
      locked_until: null,
    });
    const code2 = await s.issue('long');
    expect(await s.run(['codes', 'redeem', ...PAIR, '-q'], { stdin: code2 })).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });
  });

  it('reports errors as JSON with --json', async () => {
    const s = await codesSession();
    const run = await s.run(['codes', 'redeem', ...PAIR, '--json'], { stdin: 'A'.repeat(32) });
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stderr)).toEqual({
      error: { code: 'invalid_code', message: 'the code is not valid for this user and purpose', hint: expect.any(String) },
    });
  });

  it('prompts for the code, hidden, on a terminal', async () => {
    const s = await codesSession();
    const code = await s.issue('short');
    const prompter = scriptedPrompter([code]);
    const run = await s.run(['codes', 'redeem', ...PAIR, '--no-color'], { tty: true, prompter });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^id: +prn:.*\nstatus: +consumed\n/);
    expect(prompter.asked).toEqual(['Code for user alice, purpose add_credential']);
  });

  it.each([
    [{ tty: true, args: ['--no-input'] }, 'no code given: stdin is a terminal but no prompt can be shown (--no-input, CI=true, or stderr is not a terminal)'],
    [{ tty: false, args: [] }, 'no code given: stdin is empty'],
  ])('refuses to run without a code (%j)', async ({ tty, args }, message) => {
    const s = await codesSession();
    const run = await s.run(['codes', 'redeem', ...PAIR, ...args], { tty, stdin: tty ? '' : ' \n' });
    expect(run).toEqual({
      stdout: '',
      stderr: errorOutput(
        message,
        'pipe the code on stdin, for example: printf \'%s\\n\' "$CODE" | peridio codes redeem --user alice --purpose add_credential',
      ),
      exitCode: 2,
    });
  });

  it('refuses an empty answer at the prompt', async () => {
    const s = await codesSession();
    expect(await s.run(['codes', 'redeem', ...PAIR], { tty: true, prompter: scriptedPrompter(['  ']) })).toEqual({
      stdout: '',
      stderr: errorOutput('no code given: the prompt was left empty'),
      exitCode: 2,
    });
  });

  it('refuses more than 4 KiB on stdin', async () => {
    const s = await codesSession();
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: '1'.repeat(5000) })).toEqual({
      stdout: '',
      stderr: errorOutput('the input on stdin is too long for a code (over 4096 bytes)', 'pipe only the code'),
      exitCode: 2,
    });
  });

  it.each([[['123456']], [['--code', '123456']], [['--code=123456']]])(
    'never takes the code from the command line (%j), and does not echo it',
    async (extra) => {
      const s = await codesSession();
      const code = await s.issue('short');
      const run = await s.run(['codes', 'redeem', ...PAIR, ...extra.map((a) => a.replace('123456', code))], { stdin: code });
      expect(run).toEqual({
        stdout: '',
        stderr: errorOutput(
          'the code is never taken from the command line, where other users of this machine can see it',
          'pipe it on stdin or type it at the prompt; if a real code was exposed, invalidate it: peridio codes invalidate --user alice --purpose add_credential',
        ),
        exitCode: 2,
      });
      expect(await s.run(['codes', 'list', '--status', 'active', '-q'])).toMatchObject({ stdout: expect.stringMatching(/^prn:\S+\n$/) });
    },
  );

  it.each([
    ['12345', 'invalid one-time code: a short code is exactly 6 digits, not 5'],
    ['123 456', 'invalid one-time code: a short code is 6 digits with no spaces inside'],
    [`${'A'.repeat(31)}=`, 'invalid one-time code: a long code is base64url without = padding'],
    [`${'A'.repeat(31)}+`, 'invalid one-time code: a long code is base64url: it uses - and _, never + or /'],
    ['abandon abandon abandon', 'invalid one-time code: a phrase code is exactly 12 words, not 3'],
    ['abandon '.repeat(11) + 'abandon', "invalid one-time code: the phrase's BIP-39 checksum does not match: a word is mistyped or out of order"],
  ])('rejects the shape %j with the rule it breaks (exit 2)', async (typed, message) => {
    const s = await codesSession();
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: typed })).toEqual({ stdout: '', stderr: errorOutput(message, FORMAT_HINT), exitCode: 2 });
  });

  it('checks the code against --type, and refuses an unknown --type', async () => {
    const s = await codesSession();
    const code = await s.issue('long');
    expect(await s.run(['codes', 'redeem', ...PAIR, '--type', 'short'], { stdin: code })).toEqual({
      stdout: '',
      stderr: errorOutput('invalid one-time code: a short code contains only the digits 0-9', FORMAT_HINT),
      exitCode: 2,
    });
    expect(await s.run(['codes', 'redeem', ...PAIR, '--type', 'medium'], { stdin: code })).toEqual({
      stdout: '',
      stderr: errorOutput('invalid --type "medium": expected one of short, long, phrase'),
      exitCode: 2,
    });
    // Neither attempt touched the code.
    expect(await s.run(['codes', 'redeem', ...PAIR, '--type', 'long', '-q'], { stdin: code })).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });
  });

  it('answers not_authorized (exit 3) until the code is authorized', async () => {
    const s = await codesSession();
    const code = await s.issue('phrase', 'alice', 'add_credential', []);
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: code })).toEqual({
      stdout: '',
      stderr: errorOutput('the code has not been authorized yet', 'authorize it first: peridio codes authorize --user alice --purpose add_credential'),
      exitCode: 3,
    });
    const authorized = await s.run(['codes', 'authorize', ...PAIR, '-q'], { stdin: code.toUpperCase() });
    expect(authorized).toEqual({ stdout: 'active\n', stderr: '', exitCode: 0 });
    expect(await s.run(['codes', 'redeem', ...PAIR, '-q'], { stdin: code })).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });
  });

  it('gives invalid_code for an expired code, at exactly expires_at', async () => {
    const s = await codesSession();
    const code = await s.issue('short', 'alice', 'add_credential', ['--authorize', '--ttl', '1m']);
    s.clock.advance(60_000);
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: code })).toEqual({ stdout: '', stderr: INVALID_CODE, exitCode: 3 });
  });

  it('locks the user and purpose after 10 failures (exit 5), even for the right code', async () => {
    const s = await codesSession();
    const code = await s.issue('long');
    for (let i = 0; i < 10; i += 1) {
      const typed = i % 2 === 0 ? 'B'.repeat(32) : 'not-a-code';
      expect((await s.run(['codes', 'redeem', ...PAIR], { stdin: typed })).exitCode).toBe(i % 2 === 0 ? 3 : 2);
    }
    const locked = errorOutput(
      'too many failed attempts for this user and purpose: locked until 2025-01-01T00:15:00Z',
      'wait until then; each failed attempt counts, and a successful redeem resets the count',
    );
    expect(await s.run(['codes', 'redeem', ...PAIR], { stdin: code })).toEqual({ stdout: '', stderr: locked, exitCode: 5 });
    expect(await s.run(['codes', 'list', '--status', 'locked', '--json'])).toMatchObject({
      stdout: expect.stringContaining('"locked_until": "2025-01-01T00:15:00Z"'),
    });
    s.clock.advance(15 * 60_000);
    expect(await s.run(['codes', 'redeem', ...PAIR, '-q'], { stdin: code })).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });
  });
});

describe('peridio codes authorize', () => {
  it('answers invalid_code for a wrong code (exit 3)', async () => {
    const s = await codesSession();
    await s.issue('short', 'alice', 'add_credential', []);
    const run = await s.run(['codes', 'authorize', ...PAIR, '--type', 'long'], { stdin: 'C'.repeat(32) });
    expect(run).toEqual({ stdout: '', stderr: INVALID_CODE, exitCode: 3 });
  });
});
