/**
 * The `openssl` recipes of the AWS IoT, Azure IoT Hub and Peridio guides, and of the
 * PKIs our users run, as the end-to-end tests and their users type them: each runs
 * real `openssl` in a directory and leaves its files there.
 */
import { openssl } from './spawn-peridio.js';

/** An `openssl` command line that writes a new private key to `out`. */
export type GenKey = (out: string) => string[];

/** How each guide's key type is made. */
export const GENKEY = {
  rsa2048: (out) => ['genrsa', '-out', out, '2048'],
  rsa4096: (out) => ['genrsa', '-out', out, '4096'],
  p256: (out) => ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', out],
  p384: (out) => ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', out],
  ed25519: (out) => ['genpkey', '-algorithm', 'ed25519', '-out', out],
} satisfies Record<string, GenKey>;

/** `-newkey` arguments of `openssl req` for a key made with the request. */
export const NEWKEY = {
  rsa2048: ['-newkey', 'rsa:2048'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
} as const;

/** The guides' CA: a key, then `req -x509 -new` with CA basicConstraints and keyUsage (ca.key, ca.pem). */
export function guideCa(dir: string, genkey: GenKey, subject = '/CN=Example Root CA/O=Example'): void {
  openssl(dir, genkey('ca.key'));
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-sha256',
    '-days',
    '365',
    '-out',
    'ca.pem',
    '-subj',
    subject,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** The guides' verification certificate: a key, a CSR with CN = the code, signed by ca.pem as a v1 certificate. */
export function guideVerificationCertificate(dir: string, genkey: GenKey, commonName: string, out = 'verification.pem'): void {
  openssl(dir, genkey('verification.key'));
  openssl(dir, ['req', '-new', '-key', 'verification.key', '-out', 'verification.csr', '-subj', `/CN=${commonName}`]);
  signCsr(dir, { csr: 'verification.csr', ca: 'ca', days: 1, out });
}

/** A self-signed root made in one step, key and certificate (`req -x509 -newkey … -nodes`): `name`.key and `name`.pem. */
export function selfSignedRoot(dir: string, name: string, newkey: readonly string[], subject: string): void {
  openssl(dir, ['req', '-x509', ...newkey, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-sha256', '-subj', subject]);
}

/** A key and a certificate request for it (`req -new -newkey … -nodes`): `name`.key and `name`.csr. */
export function keyAndCsr(dir: string, name: string, newkey: readonly string[], subject: string): void {
  openssl(dir, ['req', '-new', ...newkey, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
}

/**
 * `x509 -req`: the CA `ca` (ca.pem with ca.key) signs `csr` into `out`, a v1
 * certificate unless `extensions` names a section of `extfile`.
 */
export function signCsr(dir: string, options: { csr: string; ca: string; days: number; out: string; extfile?: string; extensions?: string }): void {
  const { csr, ca, days, out, extfile, extensions } = options;
  const v3 = extfile === undefined ? [] : ['-extfile', extfile, ...(extensions === undefined ? [] : ['-extensions', extensions])];
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    String(days),
    '-sha256',
    ...v3,
    '-out',
    out,
  ]);
}
