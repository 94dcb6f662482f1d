/**
 * vericode's core library: the use cases the CLI is a thin layer over. Each takes a
 * `CoreContext` (`{ store, clock, random }`), returns plain data and never prints;
 * failures are the error classes of `./errors.js`, each with a stable `code`.
 */
export * from './errors.js';
export * from './ports.js';
export type { CoreContext } from './context.js';
export type * from './records.js';
export * from './store-port.js';
export * from './duration.js';
export * from './prn.js';
export * from './time.js';
export * from './audit.js';
export * from './organizations.js';
export * from './verification-codes.js';
export * from './codes/verification-code-format.js';
export * from './audit-export.js';
export * from './store-backup.js';
export * from './store-info.js';
export * from './store-purge.js';
export * from './store-rekey.js';
export * from './x509/parse.js';
export * from './x509/describe.js';
export * from './x509/check-ca.js';
export * from './x509/check-verification.js';
export * from './x509/path-validation.js';
export { parseCrls, type ParsedCrl } from './x509/crl.js';
export { parsePeerIdentity, type PeerIdentity } from './x509/peer-identity.js';
export { parsePurpose, type Purpose } from './x509/purpose.js';
export { createSelfSignedCa, createVerificationCertificate, createCsr, type CreatedCertificate } from './x509/create.js';
export { createCertificate, type CreateCertificateInput, type CreatedCertificateFiles } from './x509/create-certificate.js';
export { readPrivateKey, privateKeyPem, KEY_TYPES, type KeyType } from './x509/keys.js';
export { pemEncode } from './x509/pem.js';
export * from './device-certificates.js';
// CA certificates: registration (Peridio/AWS, Azure, verified on upload), verification, management.
export { registerCaCertificate, type CertificateInput, type RegisterCaCertificateInput } from './ca-certificates/register.js';
export { verifyCaCertificate, type VerifyCaCertificateInput } from './ca-certificates/verify.js';
export { issueBoundVerificationCode } from './ca-certificates/bind-code.js';
export { getCaCertificate, listCaCertificates, type ListCaCertificatesOptions } from './ca-certificates/query.js';
export { updateCaCertificate, type UpdateCaCertificateInput } from './ca-certificates/update.js';
export { deleteCaCertificate } from './ca-certificates/delete.js';
export type { CaCertificate, CaCertificateStatus } from './ca-certificates/ca-certificate.js';
export type { CaChangeTarget } from './ca-certificates/change.js';
export type { Jitp, JitpInput } from './ca-certificates/jitp.js';
export { MAX_CAS_PER_SUBJECT } from './ca-certificates/insert.js';
export { isCaName } from './ca-certificates/name-rule.js';
export * from './one-time-codes/index.js';
