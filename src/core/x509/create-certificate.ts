/**
 * `x509 create` as one use case: a new key pair and a certificate for it, either a
 * self-signed development CA or a certificate signed by a CA's key (a verification
 * certificate, or an intermediate CA), as PEM text ready to write. Which files to
 * write, and where, is the caller's.
 */
import type { KeyObject } from 'node:crypto';
import { UsageError, VericodeError } from '../errors.js';
import type { Clock, RandomSource } from '../ports.js';
import { checkCaCertificate } from './check-ca.js';
import { createSelfSignedCa, createVerificationCertificate, type ValiditySpec } from './create.js';
import type { CertificateSummary } from './describe.js';
import { privateKeyPem, type KeyType } from './keys.js';
import type { ParsedCertificate } from './parse.js';
import { pemEncode } from './pem.js';

/** What to make. */
export interface CreateCertificateInput {
  commonName: string;
  keyType: KeyType;
  validity: ValiditySpec;
  /** A CA certificate (cA=TRUE) rather than an end-entity one. */
  isCa: boolean;
  /** The CA that signs, with its private key; without one the certificate signs itself, which only a CA may. */
  signer?: { certificate: ParsedCertificate; key: KeyObject };
}

/** What was made. */
export interface CreatedCertificateFiles {
  certificatePem: string;
  /** The new private key, PKCS#8 PEM. */
  keyPem: string;
  summary: CertificateSummary;
  /**
   * Why registering the signer as a CA would be refused (a proof signed by it would
   * prove nothing), or undefined when it would be accepted or nothing signed.
   */
  signerProblem?: string;
}

/**
 * Makes the certificate and its key.
 * @throws UsageError for a bad CN or validity, a missing signer for a certificate that
 * is not a CA, or a signer key that is not the signer certificate's.
 */
export function createCertificate(ports: { clock: Clock; random: RandomSource }, input: CreateCertificateInput): CreatedCertificateFiles {
  const { signer } = input;
  if (!signer && !input.isCa) throw new UsageError('only a CA certificate can sign itself: a verification certificate needs the CA that signs it');
  const created = signer
    ? createVerificationCertificate(ports, {
        commonName: input.commonName,
        signer: signer.certificate,
        signerKey: signer.key,
        keyType: input.keyType,
        isCa: input.isCa,
        ...input.validity,
      })
    : createSelfSignedCa(ports, { commonName: input.commonName, keyType: input.keyType, ...input.validity });
  return {
    certificatePem: pemEncode(created.der, 'CERTIFICATE'),
    keyPem: privateKeyPem(created.privateKey),
    summary: created.summary,
    ...(signer ? { signerProblem: registrationProblem(signer.certificate, ports.clock.now()) } : {}),
  };
}

/** Why `ca-certificates create` would refuse `certificate` as a CA at `now`, if it would. */
function registrationProblem(certificate: ParsedCertificate, now: Date): string | undefined {
  try {
    checkCaCertificate(certificate, now);
    return undefined;
  } catch (error) {
    if (!(error instanceof VericodeError)) throw error;
    return error.message;
  }
}
