// After a workload, nothing a user would call secret or identifying appears in clear
// in the store file, its WAL or its shared-memory file, whether the store is open
// (WAL live) or closed.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { createOrganization } from '../../src/core/organizations.js';
import { issueVerificationCode, consumeVerificationCode } from '../../src/core/verification-codes.js';
import { testStore } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

function storeFiles(path: string): string[] {
  return readdirSync(dirname(path))
    .filter((f) => f.startsWith('store.db'))
    .map((f) => join(dirname(path), f));
}

/** The ways a string could sit in a file: as UTF-8, as UTF-16, or spelled out in hex. */
const SPELLINGS: Record<string, (marker: string) => Buffer> = {
  utf8: (m) => Buffer.from(m, 'utf8'),
  utf16le: (m) => Buffer.from(m, 'utf16le'),
  hex: (m) => Buffer.from(Buffer.from(m, 'utf8').toString('hex'), 'utf8'),
};

function findMarkers(files: string[], markers: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const marker of markers) {
      for (const [spelling, encode] of Object.entries(SPELLINGS)) {
        if (bytes.includes(encode(marker))) found.push(`${marker} in ${file} (${spelling})`);
      }
    }
  }
  return found;
}

describe('no plaintext in the store files', () => {
  it('holds for codes, organization names and PRNs, with the WAL live and after close', async () => {
    const t = await testStore();
    const org = await createOrganization(t.ctx, 'ZebraMarkerOrganization');
    const orgId = org.prn.slice(6);
    const issued: Array<Awaited<ReturnType<typeof issueVerificationCode>>> = [];
    for (let i = 0; i < 20; i += 1) issued.push(await issueVerificationCode(t.ctx, { organizationId: orgId }));
    for (const code of issued.slice(0, 5)) await consumeVerificationCode(t.ctx, orgId, code.code, 'the CN');
    expect((await listAudit(t.ctx)).length).toBeGreaterThan(20);
    const markers = ['ZebraMarkerOrganization', orgId, ...issued.map((i) => i.code), ...issued.map((i) => i.id.split(':').pop()!)];

    const live = storeFiles(t.path);
    expect(live.some((f) => f.endsWith('-wal'))).toBe(true);
    expect(findMarkers(live, markers)).toEqual([]);

    await t.ctx.store.close();
    expect(existsSync(t.path)).toBe(true);
    expect(findMarkers(storeFiles(t.path), markers)).toEqual([]);
  });

  it('the scan itself finds a marker in each spelling', () => {
    const file = join(tempDir(), 'plain.bin');
    writeFileSync(file, Buffer.concat([SPELLINGS.utf8!('alpha'), SPELLINGS.utf16le!('beta'), SPELLINGS.hex!('gamma')]));
    expect(findMarkers([file], ['alpha', 'beta', 'gamma'])).toEqual([`alpha in ${file} (utf8)`, `beta in ${file} (utf16le)`, `gamma in ${file} (hex)`]);
  });
});
