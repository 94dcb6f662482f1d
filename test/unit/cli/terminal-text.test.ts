/** The escaping every human line and message passes through (src/cli/terminal-text.ts). */
import { describe, expect, it } from 'vitest';
import { displayWidth, escapeText, escapeValue, inertJson } from '../../../src/cli/terminal-text.js';

describe('escapeValue', () => {
  it('shows C0, DEL, C1, bidi, zero-width and separator characters as escapes', () => {
    expect(escapeValue('a\u0000b\u001bc\u007fd\u009be\u202ef\u2066g\u200bh\ufeffi\u2028j\ud800k')).toBe(
      'a\\x00b\\x1bc\\x7fd\\x9be\\u202ef\\u2066g\\u200bh\\ufeffi\\u2028j\\ud800k',
    );
  });

  it('escapes newline and tab too, so a cell stays on its line and in its column', () => {
    expect(escapeValue('a\tb\nc\rd')).toBe('a\\x09b\\x0ac\\x0dd');
  });

  it('keeps printable text of any script as it is', () => {
    expect(escapeValue('Zürich 東京 Ω émoji 🙂 \\x41')).toBe('Zürich 東京 Ω émoji 🙂 \\x41');
  });
});

describe('escapeText', () => {
  it('keeps newlines and tabs of a message, and escapes the rest', () => {
    expect(escapeText('line 1\n\tline 2\u001b[2J\r')).toBe('line 1\n\tline 2\\x1b[2J\\x0d');
  });

  it('keeps only our own SGR sequences when asked, never other escape sequences', () => {
    expect(escapeText('\u001b[1mok\u001b[22m \u001b[31mred\u001b[39m', true)).toBe('\u001b[1mok\u001b[22m \u001b[31mred\u001b[39m');
    expect(escapeText('\u001b[2J\u001b]0;title\u0007\u001b[38;5;1m', true)).toBe('\\x1b[2J\\x1b]0;title\\x07\\x1b[38;5;1m');
    expect(escapeText('\u001b[1m', false)).toBe('\\x1b[1m');
  });
});

describe('inertJson', () => {
  it('writes C1, bidi and separator characters as JSON escapes, and parses back to the same value', () => {
    const value = { subject: 'CN=a\u009b\u202e\u2028\u{e0041}b', plain: 'Zürich' };
    const json = inertJson(JSON.stringify(value));
    expect(json).toBe('{"subject":"CN=a\\u009b\\u202e\\u2028\\udb40\\udc41b","plain":"Zürich"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('displayWidth', () => {
  it('counts characters, not our SGR sequences', () => {
    expect(displayWidth('\u001b[1mabc\u001b[22m🙂')).toBe(4);
  });
});
