/**
 * Records for the store contract suite: written straight through the port, with fixed
 * ids and times, so every adapter gets exactly the same rows.
 */
import { canonicalJson, eventJson, GENESIS_HASH, hashEventText, type StoredAuditEvent } from '../../src/core/audit/chain.js';
import type { CaCertificateRow, OneTimeCodeCandidate, StoreKey } from '../../src/core/records.js';
import { onTestFinished } from 'vitest';
import type { StorePort, StoreWriter } from '../../src/core/store-port.js';

/** Where a fresh store lives: each call of `open` opens (or with `create`, makes) the same one. */
export interface StoreHome {
  open(key: StoreKey, options?: { create?: boolean }): Promise<StorePort>;
}

export const KEY: StoreKey = { mode: 'key-file', key: Buffer.alloc(32, 7) };
export const OTHER_KEY: StoreKey = { mode: 'key-file', key: Buffer.alloc(32, 9) };
export const ORG = 'org-1';
export const OTHER_ORG = 'org-2';
/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

export function caRow(n: number, overrides: Partial<CaCertificateRow> = {}): Omit<CaCertificateRow, 'seq'> {
  return {
    id: `ca-${n}`,
    organization_id: ORG,
    name: `ca-${n}`,
    der: Buffer.from([0x30, 0x03, 0x02, 0x01, n]),
    fingerprint_sha256: n.toString(16).padStart(64, '0'),
    subject_der: Buffer.from(`subject-${n}`),
    subject: `CN=Test CA ${n}`,
    issuer: `CN=Root ${n}`,
    serial: n.toString(16).padStart(2, '0'),
    not_before: '2024-01-01T00:00:00Z',
    not_after: '2034-01-01T00:00:00Z',
    is_verified: 0,
    status: 'active',
    etag: `etag-${n}`,
    description: null,
    jitp: null,
    created_at: T0 + n,
    updated_at: T0 + n,
    ...overrides,
  };
}

type NewOneTimeCode = Omit<OneTimeCodeCandidate, 'seq' | 'authorized_at' | 'consumed_at' | 'invalidated_at'>;

export function oneTimeCode(n: number, overrides: Partial<NewOneTimeCode> = {}): NewOneTimeCode {
  const short = (overrides.type ?? 'long') === 'short';
  return {
    id: `otc-${n}`,
    organization_id: ORG,
    type: 'long',
    user_id: 'alice@example.com',
    purpose: 'login',
    code_digest: Buffer.alloc(32, n),
    code_salt: short ? Buffer.alloc(16, n) : null,
    scrypt_log_n: short ? 14 : null,
    is_authorized: 1,
    created_at: T0 + n * 1000,
    expires_at: T0 + 3_600_000,
    ...overrides,
  };
}

/** Appends an event built on the log's head, as the core does; returns it. */
export async function appendEvent(
  tx: StoreWriter,
  fields: Partial<Omit<StoredAuditEvent, 'seq' | 'prev_hash' | 'hash' | 'details'>> & { details?: Record<string, unknown> } = {},
): Promise<StoredAuditEvent> {
  const last = await tx.lastAuditEvent();
  const body = {
    seq: (last?.seq ?? 0) + 1,
    at: fields.at ?? new Date(T0 + ((last?.seq ?? 0) + 1) * 1000).toISOString().replace('.000Z', 'Z'),
    action: fields.action ?? 'test.event',
    organization_id: fields.organization_id ?? `prn:1:${ORG}`,
    subject: fields.subject ?? null,
    outcome: fields.outcome ?? 'success',
    reason: fields.reason ?? null,
    details: canonicalJson(fields.details ?? {}),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const event: StoredAuditEvent = { ...body, prev_hash: prevHash, hash: hashEventText(prevHash, eventJson(body)) };
  await tx.appendAuditEvent(event);
  return event;
}

/** Opens a store of `home`, closed when the test ends. */
export async function opened(home: StoreHome, key: StoreKey = KEY, options: { create?: boolean } = {}): Promise<StorePort> {
  const store = await home.open(key, options);
  onTestFinished(() => store.close());
  return store;
}

/** A store with the two organizations and the HMAC secret. */
export async function seeded(home: StoreHome): Promise<StorePort> {
  const store = await opened(home, KEY, { create: true });
  await store.write(async (tx) => {
    await tx.setHmacSecret(Buffer.alloc(32, 1));
    await tx.insertOrganization({ id: ORG, name: 'Acme Devices', created_at: T0 });
    await tx.insertOrganization({ id: OTHER_ORG, name: 'Other Org', created_at: T0 + 1 });
    await tx.setDefaultOrganizationId(ORG);
  });
  return store;
}

/** The PRN of a code, as its audit events name it. */
export const codePrn = (kind: 'ca_verification_code' | 'code', id: string, organizationId = ORG): string => `prn:1:${organizationId}:${kind}:${id}`;
