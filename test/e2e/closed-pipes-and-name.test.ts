/**
 * The built command with real pipes: a reader that goes away (`peridio … 2>&1 | head -1`)
 * must not change the exit code, and a command run through a link named `vericode`
 * names itself `vericode` in its messages (issue 11).
 */
import { spawn, spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { e2eHome } from '../helpers/spawn-peridio.js';

/** Environment of the e2e home, for children started here. */
function childEnv(home: ReturnType<typeof e2eHome>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home.home, VERICODE_STORE: home.storePath, VERICODE_KEY_FILE: join(home.home, 'test.key'), CI: 'true' };
}

/**
 * Runs `codes redeem` with a wrong code after closing the read ends of its stdout and
 * stderr: the command is still waiting for its code on stdin, so every write it then
 * makes meets a pipe without a reader (EPIPE), whatever the timing.
 */
async function redeemIntoClosedPipes(
  home: ReturnType<typeof e2eHome>,
  close: { stdout: boolean; stderr: boolean },
): Promise<{ exitCode: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'codes', 'redeem', '--user', 'alice', '--purpose', 'add_credential'], {
    env: childEnv(home),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  try {
    let stderr = '';
    const closed: Array<Promise<unknown>> = [];
    for (const [name, stream] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      if (close[name]) {
        closed.push(new Promise((resolve) => stream.once('close', resolve)));
        stream.destroy();
      } else {
        stream.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
      }
    }
    await Promise.all(closed);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin.end('000000\n');
    return { exitCode: await exited, stderr };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('a reader that closes the pipe early', () => {
  it('keeps the exit code of a failing command when both stdout and stderr are closed', async () => {
    const home = e2eHome();
    expect(home.peridio(['init']).exitCode).toBe(0);
    expect(await redeemIntoClosedPipes(home, { stdout: true, stderr: true })).toEqual({ exitCode: 3, stderr: '' });
  });

  it('keeps the exit code when only stdout is closed, and still reports on stderr', async () => {
    const home = e2eHome();
    expect(home.peridio(['init']).exitCode).toBe(0);
    expect(await redeemIntoClosedPipes(home, { stdout: true, stderr: false })).toEqual({
      exitCode: 3,
      stderr:
        'peridio: error: the code is not valid for this user and purpose\nperidio: hint: check the code and try again, or issue a new one: codes expire and each can be used once (peridio codes list --user alice --purpose add_credential)\n',
    });
  });

  it("peridio … 2>&1 | head -1 exits with the command's code, every time", () => {
    const home = e2eHome();
    expect(home.peridio(['init']).exitCode).toBe(0);
    for (let i = 0; i < 5; i += 1) {
      const run = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ca-certificates get no-such-ca 2>&1 | head -1; exit \${PIPESTATUS[0]}`], {
        env: childEnv(home),
        encoding: 'utf8',
      });
      expect({ stdout: run.stdout, status: run.status }).toEqual({
        stdout: 'peridio: error: CA certificate no-such-ca not found in this organization\n',
        status: 4,
      });
    }
  });
});

describe('the command as invoked', () => {
  it('names itself vericode when run through a link of that name', () => {
    const home = e2eHome();
    expect(home.peridio(['init']).exitCode).toBe(0);
    const link = join(home.home, 'vericode');
    symlinkSync(BIN, link);
    const run = spawnSync(process.execPath, [link, 'ca-certificates', 'get', 'no-such-ca'], { env: childEnv(home), encoding: 'utf8' });
    expect({ stdout: run.stdout, stderr: run.stderr, status: run.status }).toEqual({
      stdout: '',
      stderr: 'vericode: error: CA certificate no-such-ca not found in this organization\nvericode: hint: see vericode ca-certificates list\n',
      status: 4,
    });
    const usage = spawnSync(process.execPath, [link, 'ca-certificates', 'get', '--help'], { env: childEnv(home), encoding: 'utf8' });
    expect(usage.stdout).toContain('Usage: vericode ca-certificates get [options] [certificate]\n');
  });
});
