// Ids of verification codes and one-time codes are version 7 UUIDs (RFC 9562): their
// first 48 bits are the time they were issued, so codes issued in time order have ids
// in that order, and their id index grows at its end (see `store purge`).
import { describe, expect, it } from 'vitest';
import { issueOneTimeCode } from '../../src/core/one-time-codes/issue.js';
import { timeOrderedUuid } from '../../src/core/ports.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { seededRandom } from '../helpers/random.js';
import { testStore } from '../helpers/store.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The milliseconds a version 7 UUID holds. */
const msOf = (uuid: string): number => Number.parseInt(uuid.replaceAll('-', '').slice(0, 12), 16);

describe('timeOrderedUuid', () => {
  it('holds the time in its first 48 bits, then the version, the variant and random bits', () => {
    const at = Date.parse('2025-06-01T12:34:56.789Z');
    const random = seededRandom('uuid');
    const ids = Array.from({ length: 1000 }, () => timeOrderedUuid(random, at));
    for (const id of ids) {
      expect(id).toMatch(V7);
      expect(msOf(id)).toBe(at);
    }
    // 74 random bits: no two alike within the same millisecond.
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts in time order across milliseconds, whatever its random bits', () => {
    const random = seededRandom('order');
    const times = [0, 1, 999, 1_000, 1_700_000_000_000, 2 ** 48 - 1];
    const ids = times.map((at) => timeOrderedUuid(random, at));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(msOf)).toEqual(times);
  });

  it('keeps a time outside 48 bits within them rather than wrapping', () => {
    const random = seededRandom('edge');
    expect(msOf(timeOrderedUuid(random, -5))).toBe(0);
    expect(msOf(timeOrderedUuid(random, 2 ** 50))).toBe(2 ** 48 - 1);
  });
});

describe('the ids of issued codes', () => {
  it('are version 7 UUIDs of the time the code was issued', async () => {
    const { ctx, clock, organizationId } = await testStore({ at: '2025-03-01T00:00:00.250Z' });
    const first = await issueVerificationCode(ctx, { organizationId });
    clock.advance(1500);
    const second = await issueVerificationCode(ctx, { organizationId });
    const code = await issueOneTimeCode(ctx, { organizationId, userId: 'alice', purpose: 'login', type: 'long' });
    // The results give PRNs, which end with the id.
    const [a, b, c] = [first.id, second.id, code.id].map((prn) => prn.slice(-36));
    for (const id of [a, b, c]) expect(id).toMatch(V7);
    expect(msOf(a!)).toBe(Date.parse('2025-03-01T00:00:00.250Z'));
    expect(msOf(b!)).toBe(Date.parse('2025-03-01T00:00:01.750Z'));
    expect(msOf(c!)).toBe(msOf(b!));
    expect(a! < b!).toBe(true);
  });
});
