/**
 * The CLI's words for the core's next steps: each as the command line to type, named
 * as the user invoked the program (`peridio`, `vericode`).
 */
import type { NextStep } from '../core/next-steps.js';
import type { VericodeError } from '../core/errors.js';
import { isStoreUrl } from './open-store.js';

/** The hint line for `error`: its advice, then its next step as a command (`; ` between). */
export function hintText(error: Pick<VericodeError, 'hint' | 'next'>, program: string): string | undefined {
  if (error.next === undefined) return error.hint;
  if (error.next.kind === 'sign_with_new_verification_code') {
    // Spent code: whatever the failure suggested first, then a new code.
    const first = hintText({ hint: error.hint, next: error.next.first }, program);
    const step = `request a new code with: ${newCode(program, error.next.ca)}, and sign a new verification certificate with it`;
    return first === undefined ? step : `${first}; then ${step}`;
  }
  const step = nextStepText(error.next, program);
  return error.hint === undefined ? step : `${error.hint}; ${step}`;
}

/** `step` as today's hint text: what to do, with the command that does it. */
export function nextStepText(step: NextStep, program: string): string {
  const p = program;
  switch (step.kind) {
    case 'list_organizations':
      return `see ${p} organizations list`;
    case 'choose_organization_by_prn':
      return 'choose one by its PRN with --org PRN';
    case 'create_organization':
      return `create one with: ${p} organizations create --name NAME`;
    case 'list_ca_certificates':
      return `see ${p} ca-certificates list`;
    case 'show_ca_certificate':
      return `see ${p} ca-certificates get ${step.ca}`;
    case 'ca_certificate_already_verified':
      return `CA certificate ${step.ca} is already verified: see ${p} ca-certificates get ${step.ca}`;
    case 'choose_another_ca_name':
      return `choose another --name, or see: ${p} ca-certificates get ${step.name}`;
    case 'delete_unused_ca_certificate':
      return `delete one you no longer use (${p} ca-certificates delete NAME), or give the new CA another subject`;
    case 'copy_etag':
      return `copy the etag from ${p} ca-certificates get`;
    case 'refresh_etag':
      return `read the current etag with: ${p} ca-certificates get ${step.ca}, then retry`;
    case 'verify_with_bound_code':
      return step.ca === undefined
        ? `codes issued with --certificate prove possession only with: ${p} ca-certificates verify NAME -v verification.pem`
        : `a bound code proves possession only for its CA, with: ${p} ca-certificates verify ${step.ca} -v verification.pem`;
    case 'separate_certificates':
      return 'put each certificate in its own file; pass intermediates with --chain-path';
    case 'register_issuer_or_give_chain':
      return 'register the CA that issued it, or pass the intermediate certificates with --chain-path';
    case 'pair_signer_key':
      return 'pass the CA certificate with --signer-cert and its own key with --signer-key';
    case 'give_key_passphrase':
      return 'pass its passphrase in a file with --signer-key-passphrase-file';
    case 'list_verification_codes':
      return `see ${p} ca-certificates verification-codes list`;
    case 'issue_verification_code':
      return `request a code with: ${newCode(p)}`;
    case 'issue_new_verification_code':
      return `request a new code with: ${newCode(p, step.ca)}`;
    case 'register_deleted_ca_again':
      return `the CA certificate this code was bound to was deleted: register it again (${p} ca-certificates create -c ca.pem --name NAME), then: ${newCode(p, 'NAME')}`;
    case 'use_newest_verification_code':
      return `use the newest code, or ${nextStepText(step.otherwise, p)}`;
    case 'sign_with_new_verification_code':
      return hintText({ hint: undefined, next: step }, p)!;
    case 'list_one_time_codes':
      return `see ${p} codes list`;
    case 'invalidate_one_time_codes':
      return `redeem one or let them expire, or invalidate them: ${p} codes invalidate ${userFlags(step)} --type ${step.type}`;
    case 'authorize_one_time_code':
      return `authorize it first: ${p} codes authorize ${userFlags(step)}`;
    case 'retry_one_time_code':
      return `check the code and try again, or issue a new one: codes expire and each can be used once (${p} codes list ${userFlags(step)})`;
    case 'check_for_rollback':
      return `the store file may have been rolled back by copying old pages or an old copy into it: run ${p} audit verify, compare with an anchor kept elsewhere (${p} audit verify --anchor), and restore from a trusted backup`;
    case 'compare_with_anchor':
      return `the store file may have been rolled back, in part or whole, or edited: compare it with a backup and with an anchor kept elsewhere (${p} audit verify --anchor)`;
    case 'compare_with_export':
      return `the store was changed outside vericode; compare with a backup or an exported copy (${p} audit export)`;
    case 'create_store':
      return `check the ${isStoreUrl(step.path) ? 'URL' : 'path'}, or create a store there with: ${p} init --store ${step.path}`;
    case 'replace_empty_store':
      return `a failed first run of version 0.1.0 leaves one: if nothing else uses ${step.path}, remove it and run: ${p} init --store ${step.path}`;
    case 'restore_from_backup':
      return `restore it from a backup (${p} store backup)`;
    case 'restore_truncated_store':
      return `the file may be truncated: restore it from a backup (${p} store backup)`;
    case 'rekey_legacy_passphrase':
      return `this passphrase is not valid UTF-8, and version 0.1.0 keyed stores with each invalid byte replaced by U+FFFD: a store made then opens with a file holding the replaced text (then run ${p} store rekey)`;
    case 'wait_for_other_processes':
      return `wait for other ${p} commands on this store to finish, then try again`;
    case 'create_database_and_store':
      return `create the database (createdb), then run: ${p} init --store ${step.location}`;
    case 'upgrade_vericode':
      return `upgrade vericode to open this store (${p} --version)`;
    case 'check_store_key': {
      const check = 'check --key-file, --passphrase-file, VERICODE_KEY_FILE or VERICODE_PASSPHRASE';
      return step.legacyPassphrase ? `${check}; ${nextStepText({ kind: 'rekey_legacy_passphrase' }, p)}` : check;
    }
    case 'give_existing_key_file':
      return 'pass an existing key file with --key-file or VERICODE_KEY_FILE';
    case 'give_store_file':
      return 'pass the store file itself with --store or VERICODE_STORE';
    case 'choose_different_new_key':
      return 'pass a different --new-key-file, or a new passphrase';
    case 'choose_another_backup_path':
      return backupPathText(step);
  }
}

function backupPathText(step: Extract<NextStep, { kind: 'choose_another_backup_path' }>): string {
  switch (step.because) {
    case 'disk_full':
      return `free space in ${step.directory}, or choose another --out path`;
    case 'missing_directory':
      return 'create the directory first, or choose another --out path';
    case 'file_exists':
      return 'choose a new --out path, or move the old file away first';
    case 'clashes_with_store':
      return 'choose another file for the backup';
    case 'written_meanwhile':
      return 'check that nothing else writes to that path, and run the backup again to a new --out path';
  }
}

function newCode(program: string, ca?: string): string {
  return `${program} ca-certificates verification-codes create${ca === undefined ? '' : ` --certificate ${ca}`}`;
}

function userFlags(step: { userId: string; purpose: string }): string {
  return `--user ${step.userId} --purpose ${step.purpose}`;
}
