/** `peridio x509 create` and `x509 csr`: exact output, the files written, and every refusal. */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkVerificationCertificate } from '../../src/core/x509/check-verification.js';
import { checkCaCertificate } from '../../src/core/x509/check-ca.js';
import { singleCommonName } from '../../src/core/x509/describe.js';
import { parseCertificate } from '../../src/core/x509/parse.js';
import { fixedClock } from '../helpers/clock.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

const CODE = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const NOW = new Date('2025-01-01T00:00:00Z');

/** A directory with a development CA made by `x509 create --ca`. */
async function devCa(keyType = 'ec-p256'): Promise<{ dir: string; cert: string; key: string }> {
  const dir = tempDir();
  const cert = join(dir, 'ca.pem');
  const key = join(dir, 'ca.key');
  const run = await runCli(['x509', 'create', '--ca', '--common-name', 'Dev Root', '--key-type', keyType, '--key-out', key, '--out', cert, '-q']);
  expect(run).toEqual({ stdout: `${cert}\n`, stderr: '', exitCode: 0 });
  return { dir, cert, key };
}

describe('peridio x509 create --ca', () => {
  it('prints the certificate summary, writes the key 0600, and the CA passes the registration checks', async () => {
    const dir = tempDir();
    const run = await runCli(['x509', 'create', '--ca', '--common-name', 'Dev Root', '--key-out', join(dir, 'ca.key'), '--out', join(dir, 'ca.pem')], {
      clock: fixedClock('2025-01-01T00:00:00.750Z'),
    });
    const fingerprint = /sha-256 fingerprint\t([0-9a-f]{64})\n/.exec(run.stdout)?.[1];
    expect(run).toEqual({
      stdout: `certificate\t${join(dir, 'ca.pem')}\nkey\t${join(dir, 'ca.key')}\nsubject\tCN=Dev Root\nissuer\tCN=Dev Root\nserial\t${/serial\t([0-9a-f]{32})\n/.exec(run.stdout)?.[1]}\nsha-256 fingerprint\t${fingerprint}\nnot before\t2025-01-01T00:00:00Z\nnot after\t2026-01-01T00:00:00Z\n`,
      stderr: expect.stringMatching(
        /^peridio: hint: register it and prove possession of its key: .*--signer-cert .*ca\.pem --signer-key .*ca\.key --out verification\.pem\n$/,
      ),
      exitCode: 0,
    });
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    const ca = parseCertificate(readFileSync(join(dir, 'ca.pem')), 'ca');
    expect(() => checkCaCertificate(ca, NOW)).not.toThrow();
  });

  it.each(['ec-p256', 'ec-p384', 'rsa-2048'])('makes a %s CA', async (keyType) => {
    const { cert } = await devCa(keyType);
    expect(() => checkCaCertificate(parseCertificate(readFileSync(cert), 'ca'), NOW)).not.toThrow();
  });

  it('prints JSON with the paths and the summary', async () => {
    const dir = tempDir();
    const run = await runCli(['x509', 'create', '--ca', '--common-name', 'J', '--days', '10', '--key-out', join(dir, 'k'), '--out', join(dir, 'c'), '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      certificate_path: join(dir, 'c'),
      key_path: join(dir, 'k'),
      subject: 'CN=J',
      issuer: 'CN=J',
      serial: expect.stringMatching(/^[0-9a-f]{32}$/),
      fingerprint_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      not_before: '2025-01-01T00:00:00Z',
      not_after: '2025-01-11T00:00:00Z',
    });
  });
});

describe('peridio x509 create (verification certificate)', () => {
  it('signs a certificate with CN = the code that passes the verification checks', async () => {
    const { dir, cert, key } = await devCa();
    const out = join(dir, 'verification.pem');
    const run = await runCli(['x509', 'create', '--common-name', CODE, '--signer-cert', cert, '--signer-key', key, '--out', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^certificate\\t${out}\\nkey\\t-\\nsubject\\tCN=${CODE}\\nissuer\\tCN=Dev Root\\n`));
    expect(run.stderr).toBe(`peridio: hint: register the CA with this proof: peridio ca-certificates create -c ${cert} -v ${out}\n`);
    const verification = parseCertificate(readFileSync(out), 'v');
    expect(singleCommonName(verification, 'v')).toBe(CODE);
    expect(() => checkVerificationCertificate(verification, parseCertificate(readFileSync(cert), 'ca'), NOW)).not.toThrow();
    expect(verification.fields.notAfter - verification.fields.notBefore).toBe(30 * 86_400_000);
  });

  it("signs other certificates too (a device's), without suggesting them as a proof", async () => {
    const { dir, cert, key } = await devCa();
    const out = join(dir, 'device.pem');
    const run = await runCli([
      'x509',
      'create',
      '--common-name',
      'device-0001',
      '--signer-cert',
      cert,
      '--signer-key',
      key,
      '--key-out',
      join(dir, 'device.key'),
      '--out',
      out,
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('subject\tCN=device-0001\n');
    expect(run.stderr).toBe('');
  });

  // Signer keys in every form openssl writes them; Node writes byte-identical encodings.
  const ec = (namedCurve = 'prime256v1') => generateKeyPairSync('ec', { namedCurve }).privateKey;
  const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const forms: Array<[string, () => { key: string | Buffer; pass?: string }]> = [
    ['PKCS#8 PEM (EC)', () => ({ key: ec().export({ type: 'pkcs8', format: 'pem' }) })],
    [
      'encrypted PKCS#8 PEM',
      () => ({ key: ec().export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }), pass: 'correct horse\n' }),
    ],
    ['SEC1 EC PRIVATE KEY', () => ({ key: ec('secp384r1').export({ type: 'sec1', format: 'pem' }) })],
    ['PKCS#1 RSA PRIVATE KEY', () => ({ key: rsa().export({ type: 'pkcs1', format: 'pem' }) })],
    ['legacy encrypted PKCS#1 PEM', () => ({ key: rsa().export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }), pass: 'pw' })],
    ['PKCS#8 DER', () => ({ key: ec().export({ type: 'pkcs8', format: 'der' }) })],
    ['SEC1 DER', () => ({ key: ec().export({ type: 'sec1', format: 'der' }) })],
    ['PKCS#1 DER', () => ({ key: rsa().export({ type: 'pkcs1', format: 'der' }) })],
    ['encrypted PKCS#8 DER', () => ({ key: ec().export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'der pass' }), pass: 'der pass' })],
    ['Ed25519 PKCS#8', () => ({ key: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) })],
  ];

  it.each(forms)('reads a signer key as %s', async (_form, make) => {
    const dir = tempDir();
    const { key, pass } = make();
    writeFileSync(join(dir, 'ca.key'), key, { mode: 0o600 });
    // A CA for that key, made by openssl as the guides do.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        join(dir, 'ca.key'),
        ...(pass ? ['-passin', `pass:${pass.trim()}`] : []),
        '-subj',
        '/CN=Signer CA',
        '-days',
        '3650',
        '-out',
        join(dir, 'ca.pem'),
      ],
      { stdio: 'pipe' },
    );
    const args = [
      'x509',
      'create',
      '--common-name',
      CODE,
      '--signer-cert',
      join(dir, 'ca.pem'),
      '--signer-key',
      join(dir, 'ca.key'),
      '--key-out',
      join(dir, 'v.key'),
      '--out',
      join(dir, 'v.pem'),
      '-q',
    ];
    if (pass) {
      writeFileSync(join(dir, 'pass.txt'), pass);
      args.push('--signer-key-passphrase-file', join(dir, 'pass.txt'));
    }
    const run = await runCli(args, { clock: fixedClock(new Date().toISOString()) });
    expect(run).toEqual({ stdout: `${join(dir, 'v.pem')}\n`, stderr: '', exitCode: 0 });
    expect(execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'v.pem')], { encoding: 'utf8' })).toBe(`${join(dir, 'v.pem')}: OK\n`);
  });

  it('prompts for the passphrase of an encrypted key on a TTY', async () => {
    const dir = tempDir();
    const key = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'tty secret' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    writeFileSync(join(dir, 'ca.key'), key);
    execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', join(dir, 'ca.key'), '-passin', 'pass:tty secret', '-subj', '/CN=Signer CA', '-days', '1', '-out', join(dir, 'ca.pem')],
      { stdio: 'pipe' },
    );
    const { scriptedPrompter } = await import('../helpers/run-cli.js');
    const prompter = scriptedPrompter(['tty secret']);
    const run = await runCli(
      ['x509', 'create', '--common-name', CODE, '--signer-cert', join(dir, 'ca.pem'), '--signer-key', join(dir, 'ca.key'), '--out', join(dir, 'v.pem'), '-q'],
      { tty: true, prompter },
    );
    expect(run.exitCode).toBe(0);
    expect(prompter.asked).toEqual([`Passphrase for ${join(dir, 'ca.key')}`]);
  });
});

describe('peridio x509 create warns', () => {
  it('when the signer certificate would not be accepted as a CA, and still writes the certificate', async () => {
    const dir = tempDir();
    const { generateKeyPairSync: generate } = await import('node:crypto');
    const { privateKey } = generate('ec', { namedCurve: 'prime256v1' });
    writeFileSync(join(dir, 'leaf.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        join(dir, 'leaf.key'),
        '-subj',
        '/CN=Not A CA',
        '-days',
        '3650',
        '-addext',
        'basicConstraints=critical,CA:FALSE',
        '-out',
        join(dir, 'leaf.pem'),
      ],
      { stdio: 'pipe' },
    );
    const run = await runCli(
      [
        'x509',
        'create',
        '--common-name',
        CODE,
        '--signer-cert',
        join(dir, 'leaf.pem'),
        '--signer-key',
        join(dir, 'leaf.key'),
        '--out',
        join(dir, 'v.pem'),
        '-q',
      ],
      { clock: fixedClock(new Date().toISOString()) },
    );
    expect(run).toEqual({
      stdout: `${join(dir, 'v.pem')}\n`,
      stderr: 'peridio: warning: the signer certificate lacks basicConstraints cA=TRUE: ca-certificates create will refuse it as a CA\n',
      exitCode: 0,
    });
  });
});

describe('peridio x509 create refuses', () => {
  async function refusal(args: (ca: { dir: string; cert: string; key: string }) => string[], stderr: string | RegExp, exitCode = 2): Promise<void> {
    const ca = await devCa();
    const before = new Set(['ca.pem', 'ca.key']);
    const run = await runCli(args(ca));
    expect(run.stdout).toBe('');
    if (typeof stderr === 'string') expect(run.stderr).toBe(stderr);
    else expect(run.stderr).toMatch(stderr);
    expect(run.exitCode).toBe(exitCode);
    // Nothing was written beside the CA's own files.
    for (const name of ['v.pem', 'v.key']) if (!before.has(name)) expect(existsSync(join(ca.dir, name))).toBe(false);
  }
  const base = (ca: { dir: string; cert: string; key: string }): string[] => [
    'x509',
    'create',
    '--common-name',
    CODE,
    '--signer-cert',
    ca.cert,
    '--signer-key',
    ca.key,
    '--key-out',
    join(ca.dir, 'v.key'),
    '--out',
    join(ca.dir, 'v.pem'),
  ];

  it('an existing output file, leaving it and the other output untouched', async () => {
    const ca = await devCa();
    writeFileSync(join(ca.dir, 'v.pem'), 'keep me');
    const run = await runCli(base(ca));
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: certificate ${join(ca.dir, 'v.pem')} already exists: refusing to overwrite it\nperidio: hint: choose another path, or remove the file first\n`,
      exitCode: 2,
    });
    expect(readFileSync(join(ca.dir, 'v.pem'), 'utf8')).toBe('keep me');
    expect(existsSync(join(ca.dir, 'v.key'))).toBe(false);
  });

  it('the same path for the key and the certificate', async () => {
    await refusal(
      (ca) => [
        'x509',
        'create',
        '--common-name',
        CODE,
        '--signer-cert',
        ca.cert,
        '--signer-key',
        ca.key,
        '--key-out',
        join(ca.dir, 'v.pem'),
        '--out',
        join(ca.dir, 'v.pem'),
      ],
      /^peridio: error: the private key and the certificate would both be written to /,
    );
  });

  it('a missing signer', async () => {
    await refusal(
      (ca) => ['x509', 'create', '--common-name', CODE, '--out', join(ca.dir, 'v.pem')],
      'peridio: error: missing --signer-cert: it is required to sign a verification certificate (or pass --ca for a development CA)\n',
    );
  });

  it('signer flags with --ca, and --ca without --key-out', async () => {
    await refusal(
      (ca) => ['x509', 'create', '--ca', '--common-name', 'X', '--signer-cert', ca.cert, '--key-out', join(ca.dir, 'v.key'), '--out', join(ca.dir, 'v.pem')],
      'peridio: error: --signer-cert cannot be used with --ca: a development CA signs itself\n',
    );
    await refusal(
      (ca) => ['x509', 'create', '--ca', '--common-name', 'X', '--out', join(ca.dir, 'v.pem')],
      "peridio: error: missing --key-out: it is required with --ca, or the CA's key would be lost\n",
    );
  });

  it("a key that is not the signer certificate's", async () => {
    const other = await devCa();
    await refusal(
      (ca) => [...base(ca).slice(0, 6), '--signer-key', other.key, ...base(ca).slice(8)],
      /^peridio: error: the signer key is not the private key of the signer certificate\n/,
    );
  });

  it('an encrypted key without a passphrase, and with a wrong one', async () => {
    const dir = tempDir();
    const key = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    writeFileSync(join(dir, 'enc.key'), key);
    writeFileSync(join(dir, 'wrong.txt'), 'wrong\n');
    await refusal(
      (ca) => [...base(ca).slice(0, 6), '--signer-key', join(dir, 'enc.key'), ...base(ca).slice(8)],
      `peridio: error: signer key ${join(dir, 'enc.key')} is encrypted and no passphrase was given\nperidio: hint: pass its passphrase in a file with --signer-key-passphrase-file\n`,
    );
    await refusal(
      (ca) => [...base(ca).slice(0, 6), '--signer-key', join(dir, 'enc.key'), '--signer-key-passphrase-file', join(dir, 'wrong.txt'), ...base(ca).slice(8)],
      `peridio: error: wrong passphrase for signer key ${join(dir, 'enc.key')}\n`,
    );
  });

  it('a certificate where the key is expected, and a key where the certificate is expected', async () => {
    await refusal(
      (ca) => [...base(ca).slice(0, 6), '--signer-key', ca.cert, ...base(ca).slice(8)],
      /^peridio: error: signer key .*ca\.pem is not a private key\n/,
    );
    await refusal(
      (ca) => [...base(ca).slice(0, 4), '--signer-cert', ca.key, ...base(ca).slice(6)],
      /^peridio: error: signer certificate .*ca\.key is not a valid certificate: it holds a private key, not a certificate\n/,
    );
  });

  it('a weak signer key', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'weak.key'),
      generateKeyPairSync('rsa', {
        modulusLength: 1024,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
    );
    await refusal((ca) => [...base(ca).slice(0, 6), '--signer-key', join(dir, 'weak.key'), ...base(ca).slice(8)], /holds an unsupported key \(1024-bit RSA\)/);
  });

  it('bad --days, --key-type and --common-name values', async () => {
    await refusal((ca) => [...base(ca), '--days', '0'], 'peridio: error: invalid --days "0": it must be a whole number from 1 to 36500\n');
    await refusal(
      (ca) => [...base(ca), '--key-type', 'dsa'],
      'peridio: error: invalid --key-type "dsa": expected one of ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096\n',
    );
    await refusal(
      (ca) => ['x509', 'create', '--common-name', 'x'.repeat(65), ...base(ca).slice(4)],
      'peridio: error: invalid --common-name: it must be 1 to 64 characters\n',
    );
    await refusal(
      (ca) => ['x509', 'create', '--common-name', 'a\tb', ...base(ca).slice(4)],
      'peridio: error: invalid --common-name: it contains a control character\n',
    );
  });

  it('a missing signer certificate file', async () => {
    await refusal(
      (ca) => [...base(ca).slice(0, 4), '--signer-cert', join(ca.dir, 'nope.pem'), ...base(ca).slice(6)],
      /^peridio: error: cannot read signer certificate \S*nope\.pem: no such file or directory\n$/,
    );
  });
});

describe('peridio x509 csr', () => {
  it('writes a CSR that openssl verifies, with CN = the code, and a 0600 key', async () => {
    const dir = tempDir();
    const run = await runCli(['x509', 'csr', '--common-name', CODE, '--key-out', join(dir, 'v.key'), '--out', join(dir, 'v.csr')]);
    expect(run).toEqual({
      stdout: `csr\t${join(dir, 'v.csr')}\nkey\t${join(dir, 'v.key')}\nsubject\tCN=${CODE}\n`,
      stderr: `peridio: hint: have your CA sign it, for example: openssl x509 -req -in ${join(dir, 'v.csr')} -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -sha256 -out verification.pem\n`,
      exitCode: 0,
    });
    expect(statSync(join(dir, 'v.key')).mode & 0o777).toBe(0o600);
    const text = execFileSync('openssl', ['req', '-in', join(dir, 'v.csr'), '-verify', '-noout', '-subject'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(text).toBe(`subject=CN = ${CODE}\n`);
  });
});
