/**
 * PEM (RFC 7468) blocks: found by their BEGIN/END lines, with CRLF and trailing
 * whitespace tolerated and the base64 body checked strictly.
 */
import { DerError } from './der-reader.js';

/** One PEM block: its label (`CERTIFICATE`, `PRIVATE KEY`, …) and decoded bytes. */
export interface PemBlock {
  label: string;
  der: Buffer;
}

/** True when `bytes` look like PEM text rather than DER. */
export function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 65536)).includes('-----BEGIN ');
}

const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Every PEM block in `text`, in order. Text outside blocks is ignored (openssl writes
 * a human-readable dump before the block with `-text`).
 * @throws DerError for a BEGIN line without its END line (a truncated file), a
 * mismatched END label, or a body that is not strict base64.
 */
export function readPemBlocks(text: string): PemBlock[] {
  const lines = text.split(/\r?\n/).map((line) => line.replace(/[ \t\r]+$/, ''));
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const begin = /^-----BEGIN ([A-Z0-9 ]+)-----$/.exec(lines[i]!.trimStart());
    if (!begin) continue;
    const label = begin[1]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.startsWith('-----'); j += 1) body.push(lines[j]!.trim());
    if (j >= lines.length) throw new DerError(`truncated PEM: "-----BEGIN ${label}-----" has no END line`);
    if (lines[j] !== `-----END ${label}-----`) throw new DerError(`malformed PEM: expected "-----END ${label}-----"`);
    const joined = body.join('');
    if (!body.every((line) => BASE64_LINE.test(line)) || joined.length % 4 !== 0 || /=[^=]/.test(joined)) {
      throw new DerError(`malformed PEM: the ${label} body is not valid base64`);
    }
    blocks.push({ label, der: Buffer.from(joined, 'base64') });
    i = j;
  }
  return blocks;
}

/** `der` as a PEM block with `label`, 64 characters a line, as openssl writes it. */
export function pemEncode(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
