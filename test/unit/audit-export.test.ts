import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { exportAudit } from '../../src/core/audit-export.js';
import type { AuditEvent } from '../../src/core/audit/chain.js';
import { UsageError } from '../../src/core/errors.js';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { testStore } from '../helpers/store.js';

/**
 * An independent checker, as someone holding only the export would write it (the
 * README shows the same): canonical JSON with sorted keys, SHA-256 over prev_hash
 * then that JSON. Deliberately not importing src/core/audit/chain.ts.
 */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function checkExport(jsonl: string, anchor = '0'.repeat(64)): { ok: true; head: string } | { ok: false; seq: number } {
  let prev = anchor;
  for (const line of jsonl.trim().split('\n')) {
    const { prev_hash, hash, ...body } = JSON.parse(line) as Record<string, unknown>;
    const expected = createHash('sha256').update(String(prev_hash)).update(canonical(body)).digest('hex');
    if (prev_hash !== prev || hash !== expected) return { ok: false, seq: body.seq as number };
    prev = hash as string;
  }
  return { ok: true, head: prev };
}

async function exportText(ctx: Parameters<typeof exportAudit>[0], since?: string): Promise<{ text: string; summary: Awaited<ReturnType<typeof exportAudit>> }> {
  const lines: string[] = [];
  const summary = await exportAudit(ctx, { since }, (event: AuditEvent) => lines.push(JSON.stringify(event)));
  return { text: lines.map((l) => `${l}\n`).join(''), summary };
}

describe('exportAudit', () => {
  it('exports every event with its hashes, and the chain recomputes with node:crypto alone', async () => {
    const { ctx, organizationId } = await testStore();
    const issued = await issueVerificationCode(ctx, { organizationId });
    await consumeVerificationCode(ctx, organizationId, issued.code, 'test');
    await expect(consumeVerificationCode(ctx, organizationId, issued.code, 'test')).rejects.toThrow();
    const { text, summary } = await exportText(ctx);
    const events = await listAudit(ctx);
    expect(summary).toEqual({ events: events.length, first_seq: 1, last_seq: events.length });
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(events);
    expect(checkExport(text)).toEqual({ ok: true, head: events.at(-1)!.hash });
    expect(text).not.toContain(issued.code);
  });

  it('detects an edited event in the export', async () => {
    const { ctx, organizationId } = await testStore();
    await issueVerificationCode(ctx, { organizationId });
    await issueVerificationCode(ctx, { organizationId });
    const lines = (await exportText(ctx)).text.trim().split('\n');
    const edited = JSON.parse(lines[1]!) as Record<string, unknown>;
    edited.outcome = 'failure';
    lines[1] = JSON.stringify(edited);
    expect(checkExport(lines.join('\n'))).toEqual({ ok: false, seq: 2 });
  });

  it('with since, starts at the first event at or after that time and keeps every later one', async () => {
    const { ctx, clock, organizationId } = await testStore({ at: '2025-01-01T00:00:00Z' });
    await issueVerificationCode(ctx, { organizationId });
    clock.set('2025-01-02T00:00:00Z');
    await issueVerificationCode(ctx, { organizationId });
    await issueVerificationCode(ctx, { organizationId });
    const all = await listAudit(ctx);
    const { text, summary } = await exportText(ctx, '2025-01-02T00:00:00Z');
    expect(summary).toEqual({ events: 2, first_seq: 3, last_seq: 4 });
    expect(checkExport(text, all[1]!.hash)).toEqual({ ok: true, head: all[3]!.hash });
    expect((await exportText(ctx, '2030-01-01')).summary).toEqual({ events: 0, first_seq: null, last_seq: null });
  });

  it.each(['yesterday', '2025-13-01', ''])('refuses --since %j', async (since) => {
    const { ctx } = await testStore();
    await expect(exportText(ctx, since)).rejects.toThrow(UsageError);
  });
});
