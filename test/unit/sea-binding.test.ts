/**
 * The release executable loads its unpacked SQLite addon only when the file is byte
 * for byte the addon inside the executable (src/store/sea-binding.ts): any other
 * content, however close, a symbolic link or anything but a regular file is refused.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasContent } from '../../src/store/sea-binding.js';
import { tempDir } from '../helpers/temp.js';

/** Larger than the 64 KiB pieces the file is read in, and not a multiple of them. */
const CONTENT = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + 3) % 251);

/** A new file `name` holding `content`, in a directory removed after the test. */
function file(name: string, content: Uint8Array): string {
  const path = join(tempDir('vericode-sea-binding-'), name);
  writeFileSync(path, content);
  return path;
}

describe('hasContent', () => {
  it('accepts the same bytes', () => {
    expect(hasContent(file('same.node', CONTENT), CONTENT)).toBe(true);
  });

  it('refuses a file of the same size with one byte changed, in any piece', () => {
    for (const at of [0, 65_535, 65_536, 199_999]) {
      const changed = Uint8Array.from(CONTENT);
      changed[at] = changed[at]! ^ 1;
      expect(hasContent(file(`changed-${at}.node`, changed), CONTENT), String(at)).toBe(false);
    }
  });

  it('refuses a shorter or a longer file', () => {
    expect(hasContent(file('short.node', CONTENT.subarray(0, CONTENT.length - 1)), CONTENT)).toBe(false);
    expect(hasContent(file('long.node', Buffer.concat([CONTENT, Buffer.from([0])])), CONTENT)).toBe(false);
  });

  it('refuses a symbolic link to the right bytes, a directory and a missing file', () => {
    const target = file('target.node', CONTENT);
    const dir = dirname(target);
    symlinkSync(target, join(dir, 'link.node'));
    expect(hasContent(join(dir, 'link.node'), CONTENT)).toBe(false);
    mkdirSync(join(dir, 'directory.node'));
    expect(hasContent(join(dir, 'directory.node'), CONTENT)).toBe(false);
    expect(hasContent(join(dir, 'missing.node'), CONTENT)).toBe(false);
  });
});
