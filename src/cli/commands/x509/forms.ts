/**
 * The two ways `x509 create` is spelled, and which one a command line uses:
 * - this tool's form: `[--ca] [--days N] --out FILE [--key-out FILE]` (`--out -`
 *   prints the certificate on stdout, as openssl and step do);
 * - the Peridio CLI's form: `[--is-ca] --start-date D --end-date D [--out DIR]`,
 *   writing `<CN>-certificate.pem` and `<CN>-private-key.pem` into DIR (default: the
 *   current directory).
 * A Peridio flag, an existing directory as `--out`, or no `--out` at all selects the
 * Peridio form; mixing the forms is refused.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import { refuseFlags, requireFlags } from './options.js';

/** The flags of both forms, as commander parses them. */
export interface FormFlags {
  ca?: boolean;
  days?: string;
  keyOut?: string;
  isCa?: boolean;
  startDate?: string;
  endDate?: string;
  out?: string;
}

/** Where the new certificate and key go. */
export type OutputForm =
  | { kind: 'files'; out: string; keyOut: string | undefined; isCa: boolean; days: string | undefined }
  | { kind: 'directory'; certificate: string; privateKey: string; isCa: boolean; startDate: string; endDate: string };

/** A CN the Peridio form may name files after: no path separators, no leading dot or dash, no spaces. */
const FILE_SAFE_CN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The form `flags` ask for, with the output paths resolved against `cwd`.
 * @throws UsageError when the forms are mixed, a form's required flag is missing, or
 * the Peridio form's CN is not a safe file name.
 */
export function chooseOutputForm(flags: FormFlags, commonName: string, cwd: string): OutputForm {
  const peridioFlag = flags.isCa === true || flags.startDate !== undefined || flags.endDate !== undefined;
  const ownFlag = flags.ca === true || flags.days !== undefined || flags.keyOut !== undefined;
  const outIsDirectory = flags.out !== undefined && flags.out !== '-' && isDirectory(flags.out);
  if (!peridioFlag && !outIsDirectory && (flags.out !== undefined || ownFlag)) {
    if (flags.out === undefined)
      throw new UsageError(
        'missing --out FILE: where to write the certificate (- for stdout)',
        'or give --out DIR with --start-date and --end-date, as the Peridio CLI does',
      );
    return { kind: 'files', out: flags.out, keyOut: flags.keyOut, isCa: flags.ca === true, days: flags.days };
  }
  const why = peridioFlag ? "with the Peridio CLI's --is-ca, --start-date and --end-date" : `with --out ${flags.out ?? '(none)'} as a directory`;
  refuseFlags(
    flags as Record<string, unknown>,
    { ca: '--ca (say --is-ca)', days: '--days (say --start-date and --end-date)', keyOut: '--key-out (the key goes to DIR/<CN>-private-key.pem)' },
    why,
  );
  if (flags.out === '-') throw new UsageError(`--out - cannot be used ${why}: it prints one certificate, with --out - --days N`);
  requireFlags(flags as Record<string, unknown>, { startDate: '--start-date', endDate: '--end-date' }, "in the Peridio CLI's form (--out DIR)");
  if (!FILE_SAFE_CN.test(commonName)) {
    throw new UsageError(
      `cannot name files after --common-name "${commonName}": it must match ${FILE_SAFE_CN.source} to become <CN>-certificate.pem`,
      'choose the file names with --out FILE --key-out FILE --days N instead',
    );
  }
  const dir = flags.out ?? cwd;
  return {
    kind: 'directory',
    certificate: join(dir, `${commonName}-certificate.pem`),
    privateKey: join(dir, `${commonName}-private-key.pem`),
    isCa: flags.isCa === true,
    startDate: flags.startDate!,
    endDate: flags.endDate!,
  };
}
