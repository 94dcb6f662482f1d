/**
 * The CLI words the core's next steps as the commands to type, under the name the
 * program was invoked by; advice in domain words comes first.
 */
import { describe, expect, it } from 'vitest';
import { hintText, nextStepText } from '../../../src/cli/next-steps.js';
import { NotFoundError, UsageError } from '../../../src/core/errors.js';

describe('next steps in the CLI', () => {
  it("names the command as invoked, with the step's arguments", () => {
    expect(nextStepText({ kind: 'show_ca_certificate', ca: 'root' }, 'vericode')).toBe('see vericode ca-certificates get root');
    expect(nextStepText({ kind: 'invalidate_one_time_codes', userId: 'alice', purpose: 'login', type: 'short' }, 'peridio')).toBe(
      'redeem one or let them expire, or invalidate them: peridio codes invalidate --user alice --purpose login --type short',
    );
    expect(nextStepText({ kind: 'issue_new_verification_code' }, 'peridio')).toBe('request a new code with: peridio ca-certificates verification-codes create');
    expect(nextStepText({ kind: 'use_newest_verification_code', otherwise: { kind: 'issue_new_verification_code', ca: 'az' } }, 'peridio')).toBe(
      'use the newest code, or request a new code with: peridio ca-certificates verification-codes create --certificate az',
    );
  });

  it("puts an error's own advice before its step, and keeps advice alone when there is no step", () => {
    const named = new UsageError('bad name', { text: 'names follow ^[A-Za-z0-9-._]{1,64}$', next: { kind: 'list_ca_certificates' } });
    expect([named.hint, named.next]).toEqual(['names follow ^[A-Za-z0-9-._]{1,64}$', { kind: 'list_ca_certificates' }]);
    expect(hintText(named, 'peridio')).toBe('names follow ^[A-Za-z0-9-._]{1,64}$; see peridio ca-certificates list');
    expect(hintText(new UsageError('bad', 'plain advice'), 'peridio')).toBe('plain advice');
    expect(hintText(new UsageError('bad'), 'peridio')).toBeUndefined();
  });

  it('words a spent verification code after whatever the failure advised first', () => {
    const spent = { kind: 'sign_with_new_verification_code', ca: 'az' } as const;
    const tail = 'request a new code with: peridio ca-certificates verification-codes create --certificate az, and sign a new verification certificate with it';
    expect(hintText({ hint: undefined, next: spent }, 'peridio')).toBe(tail);
    expect(hintText({ hint: 'check the chain', next: spent }, 'peridio')).toBe(`check the chain; then ${tail}`);
    const after = new NotFoundError('gone', { kind: 'sign_with_new_verification_code', first: { kind: 'show_ca_certificate', ca: 'root' } });
    expect(hintText(after, 'peridio')).toBe(
      'see peridio ca-certificates get root; then request a new code with: peridio ca-certificates verification-codes create, and sign a new verification certificate with it',
    );
  });
});
