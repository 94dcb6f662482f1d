/**
 * Holding the store's state against its audit log. Copying old pages of the file
 * back (a rollback, possible without the key) can revive a spent code while the log,
 * on other pages, still records its use; these checks name such a disagreement.
 */
import { VerificationError } from '../errors.js';
import type { CodeLedger, StoreReader } from '../store-port.js';

/** The codes tables as the log accounts for them. */
export const CODE_LEDGERS: readonly CodeLedger[] = [
  {
    table: 'verification_codes',
    kind: 'ca_verification_code',
    create: 'verification_code.create',
    spends: [{ action: 'verification_code.consume', column: 'consumed_at' }],
  },
  {
    table: 'one_time_codes',
    kind: 'code',
    create: 'code.create',
    spends: [
      { action: 'code.redeem', column: 'consumed_at' },
      { action: 'code.invalidate', column: 'invalidated_at' },
    ],
  },
];

/**
 * Checks, for verification codes and one-time codes, that every consumed or
 * invalidated code has its event, that every code the log spent is spent in the
 * table (unless purged), that no code was spent twice, and that the codes issued
 * equal the codes present plus those purged, in the caller's unit of work.
 * `legacyBefore` is the first event written under schema version 5.
 * @throws VerificationError (`audit_broken`) naming the first disagreement.
 */
export async function crossCheckState(tx: StoreReader, legacyBefore: number): Promise<void> {
  const problem = await findStateDisagreement(tx, legacyBefore);
  if (problem !== undefined) throw stateDisagreement(problem);
}

/** `crossCheckState`'s checks: the first disagreement, in words, or undefined for none. */
export async function findStateDisagreement(tx: StoreReader, legacyBefore: number): Promise<string | undefined> {
  for (const ledger of CODE_LEDGERS) {
    for (const spend of ledger.spends) {
      const word = spend.column === 'consumed_at' ? 'consumed' : 'invalidated';
      const mismatch = await tx.firstSpendMismatch(ledger, spend, legacyBefore);
      if (mismatch?.spent === 1) return `${mismatch.subject} is ${word} in the store, but the log has no ${spend.action} event for it`;
      if (mismatch) {
        const seq = (await tx.firstSuccessAbout(mismatch.subject, [spend.action]))!.seq;
        return `event ${seq} (${spend.action}) says ${mismatch.subject} was ${word}, but the store shows it not ${word}`;
      }
    }
    const twice = await tx.spentTwice(ledger);
    if (twice) return `the log spends ${twice.subject} more than once (events ${twice.first} and ${twice.last})`;
    const counts = await tx.ledgerCounts(ledger);
    if (counts.issued !== counts.present + counts.purged) {
      return `the log issued ${counts.issued} ${ledger.table.replaceAll('_', ' ')}, but the store holds ${counts.present} and ${counts.purged} were purged`;
    }
  }
  return undefined;
}

/** The `audit_broken` error for a state that disagrees with the log (`problem`, from `findStateDisagreement`). */
export function stateDisagreement(problem: string): VerificationError {
  return new VerificationError('audit_broken', `the store disagrees with its audit log: ${problem}`, { kind: 'compare_with_anchor' });
}
