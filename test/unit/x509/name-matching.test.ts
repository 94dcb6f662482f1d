/** Name matching: name-constraint subtrees, peer identities, and IP address text. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { canonicalIpText, ipBytes } from '../../../src/core/x509/ip-address.js';
import { dnsWithin, emailWithin, ipWithin } from '../../../src/core/x509/name-constraints.js';
import { parsePeerIdentity } from '../../../src/core/x509/peer-identity.js';
import { isHostName, isMailbox } from '../../../src/core/x509/general-names.js';

describe('dNSName subtrees', () => {
  it.each([
    ['example.com', 'example.com', 'all', true],
    ['a.b.Example.COM', 'example.com', 'all', true],
    ['notexample.com', 'example.com', 'all', false],
    ['example.com', 'a.example.com', 'all', false],
    ['anything.test', '', 'all', true],
    // A wildcard is inside a permitted subtree only when every name it stands for is.
    ['*.example.com', 'example.com', 'all', true],
    ['*.example.com', 'foo.example.com', 'all', false],
    // For an excluded subtree, one name it stands for is enough (CVE-2025-61727).
    ['*.example.com', 'bar.example.com', 'any', true],
    ['*.example.com', 'a.bar.example.com', 'any', false],
  ] as const)('%s within %j (%s) is %s', (name, base, mode, expected) => {
    expect(dnsWithin(name, base, mode)).toBe(expected);
  });
});

describe('rfc822Name and iPAddress subtrees', () => {
  it.each([
    ['ops@fleet.example.com', 'ops@fleet.example.com', true],
    ['ops@FLEET.example.com', 'ops@fleet.example.com', true],
    ['Ops@fleet.example.com', 'ops@fleet.example.com', false],
    ['ops@fleet.example.com', 'fleet.example.com', true],
    ['ops@a.fleet.example.com', 'fleet.example.com', false],
    ['ops@a.fleet.example.com', '.fleet.example.com', true],
    ['ops@fleet.example.com', '.fleet.example.com', false],
    ['*@example.com', '*@example.com', true],
    ['user@example.com', '*@example.com', false],
  ])('%s within %s is %s', (mailbox, base, expected) => {
    expect(emailWithin(mailbox, base)).toBe(expected);
  });

  it('compares addresses under the mask, never across families', () => {
    const net = Buffer.from([192, 0, 2, 0, 255, 255, 255, 0]);
    expect(ipWithin(Buffer.from([192, 0, 2, 77]), net)).toBe(true);
    expect(ipWithin(Buffer.from([192, 0, 3, 1]), net)).toBe(false);
    expect(ipWithin(ipBytes('::ffff:192.0.2.77'), net)).toBe(false);
  });
});

describe('host names and mailboxes', () => {
  it.each([
    ['device-42.fleet.example.com', {}, true],
    ['foo_bar.example.com', {}, false],
    ['foo_bar.example.com', { underscore: true }, true],
    ['8.8.8.8', {}, false],
    ['*.example.com', {}, false],
    ['*.example.com', { wildcard: true }, true],
    ['ba*.example.com', { wildcard: true }, false],
    ['-bad.example.com', {}, false],
    [`${'a'.repeat(64)}.example.com`, {}, false],
    ['xn--628h.example.com', {}, true],
    ['😜.example.com', {}, false],
  ] as const)('%s (%j) is %s', (text, options, expected) => {
    expect(isHostName(text, options)).toBe(expected);
  });

  it('reads mailboxes as RFC 5280 allows them', () => {
    expect([
      isMailbox('ops@example.com'),
      isMailbox('a.b+c@example.com'),
      isMailbox('@example.com'),
      isMailbox('a..b@example.com'),
      isMailbox('ops@exa mple.com'),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe('IP address text', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
  ])('%s is written %s (RFC 5952)', (text, canonical) => {
    expect(canonicalIpText(ipBytes(text))).toBe(canonical);
  });

  it('reads the identity options', () => {
    expect(parsePeerIdentity({ dnsName: 'Device.Example.com.' })).toEqual({ kind: 'dns', name: 'device.example.com' });
    expect(parsePeerIdentity({ ipAddress: '::1' })).toEqual({ kind: 'ip', bytes: ipBytes('::1'), text: '::1' });
    expect(parsePeerIdentity({})).toBeUndefined();
    expect(() => parsePeerIdentity({ ipAddress: '0xC0A80101' })).toThrow(UsageError);
  });
});
