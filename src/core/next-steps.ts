/**
 * What a user can do next after an error, in domain terms: the core names the step
 * (list the CA certificates, authorize this code, …) and each front end words it in
 * its own language (the CLI as the command to type, with the name it was invoked by).
 * An error carries one as `VericodeError.next`; its `hint` keeps advice that names no
 * command.
 */
import type { OneTimeCodeType } from './codes/one-time-code-format.js';

/** One step a user can take next; `kind` names it and the fields are its arguments. */
export type NextStep =
  // Organizations
  | { kind: 'list_organizations' }
  | { kind: 'create_organization' }
  /** Several organizations share the name: choose one by its PRN. */
  | { kind: 'choose_organization_by_prn' }
  // CA certificates
  | { kind: 'list_ca_certificates' }
  /** Look at one CA certificate (its state, its etag). */
  | { kind: 'show_ca_certificate'; ca: string }
  /** The CA certificate is verified already: look at it instead. */
  | { kind: 'ca_certificate_already_verified'; ca: string }
  /** A CA certificate of that name exists: choose another name or look at it. */
  | { kind: 'choose_another_ca_name'; name: string }
  /** The subject's limit is reached: delete an unused CA certificate or use another subject. */
  | { kind: 'delete_unused_ca_certificate' }
  /** An etag is needed: read it from a CA certificate. */
  | { kind: 'copy_etag' }
  /** The CA certificate changed since its etag was read: read it again, then retry. */
  | { kind: 'refresh_etag'; ca: string }
  /** A code bound to a CA proves possession only for that CA (`ca`, or a CA by name when it was deleted). */
  | { kind: 'verify_with_bound_code'; ca?: string }
  // Certificates
  /** A file held several certificates where one was expected: one per file, intermediates apart. */
  | { kind: 'separate_certificates' }
  /** No registered CA issued the device certificate: register it, or give the intermediates. */
  | { kind: 'register_issuer_or_give_chain' }
  /** The signer key does not belong to the signer certificate: give the CA's own key. */
  | { kind: 'pair_signer_key' }
  /** A signer key is encrypted: give its passphrase. */
  | { kind: 'give_key_passphrase' }
  // Verification codes
  | { kind: 'list_verification_codes' }
  /** Request a first verification code. */
  | { kind: 'issue_verification_code' }
  /** Request a new verification code (bound to `ca`, when given). */
  | { kind: 'issue_new_verification_code'; ca?: string }
  /** The code was bound to a CA that was deleted: register the CA again, then request a code bound to it. */
  | { kind: 'register_deleted_ca_again' }
  /** A newer code replaced this one: use it, or else take `otherwise`. */
  | { kind: 'use_newest_verification_code'; otherwise: NextStep }
  /**
   * The verification code is spent: after `first` (or the error's own hint), request
   * a new code (bound to `ca`, when given) and sign a new verification certificate.
   */
  | { kind: 'sign_with_new_verification_code'; ca?: string; first?: NextStep }
  // One-time codes
  | { kind: 'list_one_time_codes' }
  /** The user reached the live-code limit: redeem, wait, or invalidate their codes. */
  | { kind: 'invalidate_one_time_codes'; userId: string; purpose: string; type: OneTimeCodeType }
  | { kind: 'authorize_one_time_code'; userId: string; purpose: string }
  /** The code did not match: check it, or issue a new one (codes expire and are single-use). */
  | { kind: 'retry_one_time_code'; userId: string; purpose: string }
  // Audit log
  /** A spent code was seen unspent: the store may have been rolled back. */
  | { kind: 'check_for_rollback' }
  /** The log and the store disagree: compare with a backup and an anchor kept elsewhere. */
  | { kind: 'compare_with_anchor' }
  /** The chain is broken: compare with a backup or an exported copy. */
  | { kind: 'compare_with_export' }
  // Stores
  | { kind: 'create_store'; path: string }
  /** An empty file left by a failed first run of 0.1.0: remove it and create the store again. */
  | { kind: 'replace_empty_store'; path: string }
  | { kind: 'restore_from_backup' }
  /** The file's size is not whole pages: it may be truncated; restore it. */
  | { kind: 'restore_truncated_store' }
  /** A passphrase that is not UTF-8, as 0.1.0 keyed it: open with the replaced text, then rekey. */
  | { kind: 'rekey_legacy_passphrase' }
  /** Another process holds the store: wait for it. */
  | { kind: 'wait_for_other_processes' }
  /** The database a store URL names does not exist: create it, then the store in it. */
  | { kind: 'create_database_and_store'; location: string }
  /** The store was written by a newer version. */
  | { kind: 'upgrade_vericode' }
  /** The key did not open the store: check where it comes from (and, for a passphrase that is not UTF-8, how 0.1.0 keyed it). */
  | { kind: 'check_store_key'; legacyPassphrase?: boolean }
  /** The key file named is missing or unreadable: give one that exists. */
  | { kind: 'give_existing_key_file' }
  /** The store's path names a directory: give the store file itself. */
  | { kind: 'give_store_file' }
  /** A rekey to the key the store already has: choose a different new key. */
  | { kind: 'choose_different_new_key' }
  /** A backup cannot be written where asked: why (`because`), and the directory concerned. */
  | {
      kind: 'choose_another_backup_path';
      because: 'disk_full' | 'missing_directory' | 'file_exists' | 'clashes_with_store' | 'written_meanwhile';
      directory?: string;
    };
