/**
 * Entity tags of CA records, as Azure IoT Hub uses them: every change of a record
 * gives it a new random etag, and a change made with `--if-match ETAG` applies only
 * while the record still has that etag. No `--if-match` means `*`: any etag.
 */
import { ConflictError, UsageError } from '../errors.js';
import type { RandomSource } from '../ports.js';

/** A new opaque etag: 16 hex characters from 64 random bits. */
export function newEtag(random: RandomSource): string {
  return Buffer.from(random.bytes(8)).toString('hex');
}

/**
 * The etag a change must find, from `--if-match` as typed: surrounding whitespace
 * and the double quotes of an HTTP entity tag (`"abc"`, `W/"abc"`) are dropped;
 * undefined or `*` gives `current`, so the change applies to whatever is there.
 * @throws UsageError for an empty `--if-match`.
 */
export function expectedEtag(ifMatch: string | undefined, current: string): string {
  const wanted = normalizeEtag(ifMatch);
  if (wanted === '') throw new UsageError('an empty etag matches nothing: expected an etag, or * for any', { kind: 'copy_etag' });
  return wanted === undefined || wanted === '*' ? current : wanted;
}

/**
 * Checks `--if-match` against the record's current etag.
 * @throws ConflictError (`etag_mismatch`) naming `label` when they differ.
 */
export function assertEtagMatches(ifMatch: string | undefined, current: string, label: string): void {
  const wanted = expectedEtag(ifMatch, current);
  if (wanted !== current) throw etagMismatch(label, wanted);
}

/** The error for a record whose etag moved on. */
export function etagMismatch(label: string, wanted: string): ConflictError {
  return new ConflictError('etag_mismatch', `CA certificate ${label} has changed: its etag is no longer ${wanted}`, { kind: 'refresh_etag', ca: label });
}

/** An etag as typed, without surrounding whitespace and the double quotes of an HTTP entity tag. */
export function normalizeEtag(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const quoted = /^(?:W\/)?"(.*)"$/.exec(trimmed);
  return quoted ? quoted[1]! : trimmed;
}
