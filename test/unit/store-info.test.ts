import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit.js';
import { storeInfo } from '../../src/core/store-info.js';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { TEST_KEY, testStore } from '../helpers/store.js';

describe('storeInfo', () => {
  it('counts codes by status and reports the format, schema, size and audit head, never the key', async () => {
    const { ctx, clock, path, organizationId } = await testStore();
    const consumed = await issueVerificationCode(ctx, { organizationId });
    await consumeVerificationCode(ctx, organizationId, consumed.code, 'test');
    await issueVerificationCode(ctx, { organizationId, ttlMs: 300_000 });
    await issueVerificationCode(ctx, { organizationId });
    clock.advance(300_000);

    const info = await storeInfo(ctx);

    const chain = await verifyAuditChain(ctx);
    expect(info).toEqual({
      path,
      format: 'sqlcipher-4',
      key_mode: 'key-file',
      schema_version: SCHEMA_VERSION,
      page_size: 4096,
      size_bytes: statSync(path).size,
      wal_bytes: expect.any(Number),
      free_bytes: 0,
      auto_vacuum: 'incremental',
      organizations: 1,
      records: {
        ca_certificates: { active: 0, inactive: 0, verified: 0, unverified: 0 },
        verification_codes: { active: 1, consumed: 1, expired: 1 },
        one_time_codes: { active: 0, locked: 0, consumed: 0, invalidated: 0, expired: 0 },
      },
      audit: { events: chain.events, head_hash: chain.head_hash },
    });
    expect(JSON.stringify(info)).not.toContain(TEST_KEY.toString('hex'));
  });

  it('reports zero counts for a store without codes', async () => {
    const { ctx } = await testStore();
    expect(await storeInfo(ctx)).toMatchObject({ records: { verification_codes: { active: 0, consumed: 0, expired: 0 } }, audit: { events: 1 } });
  });
});
