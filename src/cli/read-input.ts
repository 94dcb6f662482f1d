/**
 * Reading the small input files commands take (certificates, chains, keys): regular
 * files only, size-capped, with errors that name the file. `-` reads standard input,
 * as openssl and step do, with the same cap; one input per run at most, since there is
 * only one standard input.
 */
import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.js';
import { readBoundedFile } from '../store/bounded-file.js';

/** The default cap: SPEC section 5's 64 KiB per certificate file. */
export const MAX_INPUT_FILE_BYTES = 65536;

/** The standard inputs already read in this run, and by which option. */
const stdinTakenBy = new WeakMap<Readable, string>();

/**
 * The contents of the file at `path`, or of `stdin` when `path` is `-`. `label` says
 * what it is ("CA certificate"), and errors read "cannot read CA certificate ca.pem: …".
 * @throws UsageError when the file is missing, unreadable, not a regular file (a
 * directory, a FIFO, a device such as /dev/zero), or larger than `options.maxBytes`
 * (default 64 KiB; checked with fstat before reading, and again while reading, so a
 * 10 MB file or an endless stream is never read whole); when `-` is given for a second
 * input of the run. The size error has `options.code` (default `invalid_certificate`).
 */
export async function readInputFile(
  stdin: Readable,
  path: string,
  label: string,
  options: { maxBytes?: number; code?: 'usage' | 'invalid_certificate' } = {},
): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
  const tooLargeHint = 'give a single certificate or key file, PEM or DER';
  if (path !== '-') return readBoundedFile(path, { label, maxBytes, tooLargeHint, tooLargeCode: options.code ?? 'invalid_certificate' }).bytes;
  const taken = stdinTakenBy.get(stdin);
  if (taken !== undefined) {
    throw new UsageError(
      `cannot read ${label} from standard input: it is already the ${taken}`,
      'only one input can be - (standard input): give the others as files',
    );
  }
  stdinTakenBy.set(stdin, label);
  return readStream(
    stdin,
    maxBytes,
    () => new UsageError(`${label} on standard input is larger than ${maxBytes / 1024} KiB`, tooLargeHint, options.code ?? 'invalid_certificate'),
  );
}

/** Reads `stream` to its end, failing as soon as it holds more than `maxBytes`. */
async function readStream(stream: Readable, maxBytes: number, tooLarge: () => UsageError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    length += bytes.length;
    if (length > maxBytes) {
      stream.destroy();
      throw tooLarge();
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, length);
}
