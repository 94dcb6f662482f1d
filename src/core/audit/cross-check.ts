/**
 * Holding the store's state against its audit log. Copying old pages of the file
 * back (a rollback, possible without the key) can revive a spent code while the log,
 * on other pages, still records its use; these checks name such a disagreement.
 */
import { firstSuccessAbout } from '../../store/audit-log.js';
import { CODE_LEDGERS, firstSpendMismatch, ledgerCounts, spentTwice } from '../../store/audit-cross-check.js';
import type { Store } from '../../store/store.js';
import { COMMAND, VerificationError } from '../errors.js';

/**
 * Checks, for verification codes and one-time codes, that every consumed or
 * invalidated code has its event, that every code the log spent is spent in the
 * table (unless purged), that no code was spent twice, and that the codes issued
 * equal the codes present plus those purged. Call inside `store.read`.
 * `legacyBefore` is the first event written under schema version 5.
 * @throws VerificationError (`audit_broken`) naming the first disagreement.
 */
export function crossCheckState(store: Store, legacyBefore: number): void {
  for (const ledger of CODE_LEDGERS) {
    for (const spend of ledger.spends) {
      const word = spend.column === 'consumed_at' ? 'consumed' : 'invalidated';
      const mismatch = firstSpendMismatch(store, ledger, spend, legacyBefore);
      if (mismatch?.spent === 1) throw disagreement(`${mismatch.subject} is ${word} in the store, but the log has no ${spend.action} event for it`);
      if (mismatch) {
        const seq = firstSuccessAbout(store, mismatch.subject, [spend.action])!.seq;
        throw disagreement(`event ${seq} (${spend.action}) says ${mismatch.subject} was ${word}, but the store shows it not ${word}`);
      }
    }
    const twice = spentTwice(store, ledger);
    if (twice) throw disagreement(`the log spends ${twice.subject} more than once (events ${twice.first} and ${twice.last})`);
    const counts = ledgerCounts(store, ledger);
    if (counts.issued !== counts.present + counts.purged) {
      throw disagreement(`the log issued ${counts.issued} ${ledger.table.replaceAll('_', ' ')}, but the store holds ${counts.present} and ${counts.purged} were purged`);
    }
  }
}

function disagreement(problem: string): VerificationError {
  return new VerificationError(
    'audit_broken',
    `the store disagrees with its audit log: ${problem}`,
    `the store file may have been rolled back, in part or whole, or edited: compare it with a backup and with an anchor kept elsewhere (${COMMAND} audit verify --anchor)`,
  );
}
