/**
 * `peridio x509 create` in the Peridio CLI's form (`--is-ca`, `--start-date`,
 * `--end-date`, `--out DIR`) and with `--out -`: exact output, the files written,
 * and every refusal (unsafe CN, bad dates, mixed forms).
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCaCertificate } from '../../src/core/x509/check-ca.js';
import { checkVerificationCertificate } from '../../src/core/x509/check-verification.js';
import { parseCertificate } from '../../src/core/x509/parse.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

const CODE = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const NOW = new Date('2025-01-01T00:00:00Z');
const DATES = ['--start-date', '2024-12-01', '--end-date', '2026-12-01'];

/** A directory holding dev-root-certificate.pem and dev-root-private-key.pem made in the Peridio form. */
async function peridioCa(): Promise<{ dir: string; cert: string; key: string }> {
  const dir = tempDir();
  const run = await runCli(['x509', 'create', '--common-name', 'dev-root', '--is-ca', ...DATES, '--out', dir, '--json']);
  const cert = join(dir, 'dev-root-certificate.pem');
  const key = join(dir, 'dev-root-private-key.pem');
  expect(run).toEqual({ stdout: `${JSON.stringify({ certificate: cert, private_key: key }, null, 2)}\n`, stderr: '', exitCode: 0 });
  return { dir, cert, key };
}

describe("x509 create in the Peridio CLI's form", () => {
  it('writes <CN>-certificate.pem and <CN>-private-key.pem (0600) into --out DIR; the CA passes the CA checks', async () => {
    const { dir, cert, key } = await peridioCa();
    expect(readdirSync(dir).sort()).toEqual(['dev-root-certificate.pem', 'dev-root-private-key.pem']);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const ca = parseCertificate(readFileSync(cert), 'ca');
    expect(() => checkCaCertificate(ca, NOW)).not.toThrow();
    expect([new Date(ca.fields.notBefore).toISOString(), new Date(ca.fields.notAfter).toISOString()]).toEqual([
      '2024-12-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
  });

  it('signs a verification certificate with the signer, printing the paths and the next step', async () => {
    const ca = await peridioCa();
    const out = tempDir();
    const run = await runCli(['x509', 'create', '--common-name', CODE, ...DATES, '--signer-key', ca.key, '--signer-cert', ca.cert, '--out', out]);
    const cert = join(out, `${CODE}-certificate.pem`);
    expect(run).toEqual({
      stdout: `certificate\t${cert}\nprivate key\t${join(out, `${CODE}-private-key.pem`)}\n`,
      stderr: `peridio: hint: register the CA with this proof: peridio ca-certificates create -c ${ca.cert} -v ${cert}\n`,
      exitCode: 0,
    });
    expect(() => checkVerificationCertificate(parseCertificate(readFileSync(cert), 'v'), parseCertificate(readFileSync(ca.cert), 'ca'), NOW)).not.toThrow();
  });

  it('makes an intermediate CA with --is-ca and a signer', async () => {
    const root = await peridioCa();
    const run = await runCli([
      'x509',
      'create',
      '--common-name',
      'line-2',
      '--is-ca',
      ...DATES,
      '--signer-cert',
      root.cert,
      '--signer-key',
      root.key,
      '--out',
      root.dir,
      '-q',
    ]);
    expect(run).toEqual({ stdout: `${join(root.dir, 'line-2-certificate.pem')}\n`, stderr: '', exitCode: 0 });
    const intermediate = new X509Certificate(readFileSync(join(root.dir, 'line-2-certificate.pem')));
    expect([intermediate.ca, intermediate.issuer, intermediate.checkIssued(new X509Certificate(readFileSync(root.cert)))]).toEqual([true, 'CN=dev-root', true]);
  });

  it('never overwrites: an existing <CN>-private-key.pem leaves both files as they were', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dev-root-private-key.pem'), 'keep me');
    const run = await runCli(['x509', 'create', '--common-name', 'dev-root', '--is-ca', ...DATES, '--out', dir]);
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: private key ${join(dir, 'dev-root-private-key.pem')} already exists: refusing to overwrite it\nperidio: hint: choose another path, or remove the file first\n`,
      exitCode: 2,
    });
    expect(readdirSync(dir)).toEqual(['dev-root-private-key.pem']);
    expect(readFileSync(join(dir, 'dev-root-private-key.pem'), 'utf8')).toBe('keep me');
  });

  it('selects the Peridio form by an existing directory as --out alone, and then needs the dates', async () => {
    const dir = tempDir();
    expect(await runCli(['x509', 'create', '--common-name', 'dev-root', '--out', dir])).toEqual({
      stdout: '',
      stderr: "peridio: error: missing --start-date: it is required in the Peridio CLI's form (--out DIR)\n",
      exitCode: 2,
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('x509 create --out -', () => {
  it('prints the PEM on stdout and writes the key only where --key-out says', async () => {
    const { dir, cert, key } = await peridioCa();
    const run = await runCli([
      'x509',
      'create',
      '--common-name',
      CODE,
      '--signer-cert',
      cert,
      '--signer-key',
      key,
      '--key-out',
      join(dir, 'v.key'),
      '--out',
      '-',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    expect(new X509Certificate(run.stdout).subject).toBe(`CN=${CODE}`);
    expect(statSync(join(dir, 'v.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses --key-out -, --json with --out -, and --out - in the Peridio form', async () => {
    const { cert, key } = await peridioCa();
    const signer = ['--signer-cert', cert, '--signer-key', key];
    expect(await runCli(['x509', 'create', '--common-name', CODE, ...signer, '--key-out', '-', '--out', '-'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: --key-out - would print a private key: give --key-out FILE\n',
      exitCode: 2,
    });
    expect(await runCli(['x509', 'create', '--common-name', CODE, ...signer, '--out', '-', '--json'])).toEqual({
      stdout: '',
      stderr: '{"error":{"code":"usage","message":"--out - prints the certificate itself: drop --json and -q","hint":null}}\n',
      exitCode: 2,
    });
    expect(await runCli(['x509', 'create', '--common-name', CODE, ...signer, ...DATES, '--out', '-'])).toEqual({
      stdout: '',
      stderr:
        "peridio: error: --out - cannot be used with the Peridio CLI's --is-ca, --start-date and --end-date: it prints one certificate, with --out - --days N\n",
      exitCode: 2,
    });
  });
});

describe('x509 create refuses', () => {
  const dir = (): string => tempDir();
  it.each([
    [
      'a CN with a slash',
      '../evil',
      'cannot name files after --common-name "../evil": it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ to become <CN>-certificate.pem',
    ],
    [
      'a CN with a space',
      'Dev Root',
      'cannot name files after --common-name "Dev Root": it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ to become <CN>-certificate.pem',
    ],
    [
      'a CN starting with a dot',
      '.hidden',
      'cannot name files after --common-name ".hidden": it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ to become <CN>-certificate.pem',
    ],
  ])('%s as a file name, writing nothing', async (_what, cn, message) => {
    const out = dir();
    expect(await runCli(['x509', 'create', '--common-name', cn, '--is-ca', ...DATES, '--out', out])).toEqual({
      stdout: '',
      stderr: `peridio: error: ${message}\nperidio: hint: choose the file names with --out FILE --key-out FILE --days N instead\n`,
      exitCode: 2,
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([
    [['--start-date', '2025-1-01', '--end-date', '2026-01-01'], 'invalid --start-date "2025-1-01": expected a date as YYYY-MM-DD'],
    [['--start-date', '2025-02-30', '--end-date', '2026-01-01'], 'invalid --start-date "2025-02-30": expected a date as YYYY-MM-DD'],
    [['--start-date', '2025-01-01', '--end-date', 'tomorrow'], 'invalid --end-date "tomorrow": expected a date as YYYY-MM-DD'],
    [['--start-date', '2025-01-01', '--end-date', '2024-12-31'], 'invalid --end-date "2024-12-31": it must be after --start-date "2025-01-01"'],
    [['--start-date', '2025-01-01', '--end-date', '2025-01-01'], 'invalid --end-date "2025-01-01": it must be after --start-date "2025-01-01"'],
    [['--start-date', '2025-01-01'], "missing --end-date: it is required in the Peridio CLI's form (--out DIR)"],
  ])('bad dates %j', async (dates, message) => {
    const out = dir();
    expect(await runCli(['x509', 'create', '--common-name', 'dev-root', '--is-ca', ...dates, '--out', out])).toEqual({
      stdout: '',
      stderr: `peridio: error: ${message}\n`,
      exitCode: 2,
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([
    [['--ca', '--is-ca'], "--ca (say --is-ca) cannot be used with the Peridio CLI's --is-ca, --start-date and --end-date"],
    [['--days', '30', ...DATES], "--days (say --start-date and --end-date) cannot be used with the Peridio CLI's --is-ca, --start-date and --end-date"],
    [
      ['--is-ca', ...DATES, '--key-out', 'k.pem'],
      "--key-out (the key goes to DIR/<CN>-private-key.pem) cannot be used with the Peridio CLI's --is-ca, --start-date and --end-date",
    ],
  ])('both forms mixed: %j', async (flags, message) => {
    const out = dir();
    expect(await runCli(['x509', 'create', '--common-name', 'dev-root', ...flags, '--out', out])).toEqual({
      stdout: '',
      stderr: `peridio: error: ${message}\n`,
      exitCode: 2,
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it('--ca with an existing directory as --out, and a file form without --out', async () => {
    const out = dir();
    expect(await runCli(['x509', 'create', '--common-name', 'dev-root', '--ca', '--key-out', join(out, 'k'), '--out', out])).toEqual({
      stdout: '',
      stderr: `peridio: error: --ca (say --is-ca) cannot be used with --out ${out} as a directory\n`,
      exitCode: 2,
    });
    expect(await runCli(['x509', 'create', '--common-name', 'dev-root', '--ca', '--key-out', join(out, 'k')])).toEqual({
      stdout: '',
      stderr:
        'peridio: error: missing --out FILE: where to write the certificate (- for stdout)\nperidio: hint: or give --out DIR with --start-date and --end-date, as the Peridio CLI does\n',
      exitCode: 2,
    });
    expect(existsSync(join(out, 'k'))).toBe(false);
  });
});
