/** Flag parsing shared by the x509 verbs. */
import { UsageError } from '../../../core/errors.js';
import type { KeyType } from '../../../core/x509/keys.js';
import { parseChoice } from '../../parse.js';

/**
 * `--days` as a whole number of days from 1 to 36500.
 * @throws UsageError otherwise.
 */
export function parseDays(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const days = /^[0-9]{1,5}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(days >= 1 && days <= 36500)) throw new UsageError(`invalid --days "${text}": it must be a whole number from 1 to 36500`);
  return days;
}

/**
 * Refuses flags that do not belong with the chosen mode.
 * @throws UsageError naming the first such flag.
 */
export function refuseFlags(opts: Record<string, unknown>, flags: Record<string, string>, reason: string): void {
  for (const [key, flag] of Object.entries(flags)) {
    if (opts[key] !== undefined) throw new UsageError(`${flag} cannot be used ${reason}`);
  }
}

/**
 * Requires flags the chosen mode needs.
 * @throws UsageError naming the first missing flag.
 */
export function requireFlags(opts: Record<string, unknown>, flags: Record<string, string>, reason: string): void {
  for (const [key, flag] of Object.entries(flags)) {
    if (opts[key] === undefined) throw new UsageError(`missing ${flag}: it is required ${reason}`);
  }
}

/**
 * `--key-type` text, ec-p256 when absent; `keyTypes` is the core's KEY_TYPES (loaded with the key code).
 * @throws UsageError listing the choices.
 */
export function parseKeyTypeFlag(text: string | undefined, keyTypes: readonly KeyType[]): KeyType {
  return text === undefined ? 'ec-p256' : parseChoice(text, '--key-type', keyTypes);
}

/**
 * Checks `--common-name` with the core's rule (`problem` gives what is wrong, if anything).
 * @throws UsageError naming the flag.
 */
export function checkCommonNameFlag(commonName: string, problem: (cn: string) => string | undefined): void {
  const found = problem(commonName);
  if (found !== undefined) throw new UsageError(`invalid --common-name: ${found}`);
}

/**
 * The validity `--start-date` and `--end-date` give: from the start date's midnight UTC
 * to the end date's midnight UTC; `parseDate` reads one `YYYY-MM-DD` (the core's).
 * @throws UsageError for a date that is not on the calendar, or an end not after the start.
 */
export function parseValidityDates(
  startDate: string,
  endDate: string,
  parseDate: (text: string) => number | undefined,
): { notBefore: number; notAfter: number } {
  const notBefore = parseDate(startDate);
  if (notBefore === undefined) throw new UsageError(`invalid --start-date "${startDate}": expected a date as YYYY-MM-DD`);
  const notAfter = parseDate(endDate);
  if (notAfter === undefined) throw new UsageError(`invalid --end-date "${endDate}": expected a date as YYYY-MM-DD`);
  if (notAfter <= notBefore) throw new UsageError(`invalid --end-date "${endDate}": it must be after --start-date "${startDate}"`);
  return { notBefore, notAfter };
}
