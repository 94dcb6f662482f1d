/**
 * Text from outside (certificate subjects, names, descriptions, argv echoed in errors)
 * must not drive the terminal: an ESC or CSI (U+009B) can move the cursor, rewrite
 * earlier lines or set the window title, and a bidi override (U+202E) can make
 * `evil.pem` read as `mep.live`. Every human line the CLI writes passes through here
 * and shows such characters as visible escapes (`\x1b`, `\u202e`) instead.
 *
 * JSON keeps every value exact: there the same characters are written as JSON's own
 * `\uXXXX` escapes, which parse back to the same string but are inert on a terminal.
 */

/**
 * Characters that are invisible or act on the terminal: C0 and C1 controls and DEL
 * (`Cc`), format characters such as bidi embeddings, overrides, isolates and marks,
 * zero-width spaces and joiners, and the BOM (`Cf`), line and paragraph separators
 * (`Zl`, `Zp`), and unpaired surrogates (`Cs`).
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** The same, keeping newline and tab: the layout of a multi-line message or a table. */
const UNSAFE_IN_TEXT = /(?![\n\t])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** Outside strings JSON is ASCII, so only string contents can match. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** The SGR sequences our own styles emit (chalk at level 1): bold, dim, colours and their resets. */
const OWN_SGR = /^\u001b\[(?:1|2|22|31|32|33|39)m/;

function visible(char: string): string {
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** One value of a table cell or a key/value block: every unsafe character escaped, newline and tab too. */
export function escapeValue(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * A message or a rendered block: unsafe characters escaped, newlines and tabs kept.
 * With `keepOwnStyles`, the exact SGR sequences of our own styles survive (they are
 * only ever added around values already escaped by `escapeValue`).
 */
export function escapeText(text: string, keepOwnStyles = false): string {
  if (!keepOwnStyles) return text.replace(UNSAFE_IN_TEXT, visible);
  return text.replace(UNSAFE_IN_TEXT, (char, offset: number) => (char === '\u001b' && OWN_SGR.test(text.slice(offset, offset + 5)) ? char : visible(char)));
}

/** A JSON document whose C1 controls, format characters and separators are `\uXXXX` escapes (the same value). */
export function inertJson(json: string): string {
  // A character beyond U+FFFF (a tag character) becomes its two surrogate escapes.
  return json.replace(UNSAFE_IN_JSON, (char) => [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

/** Printable width of text that may hold our own SGR sequences (for aligning columns). */
export function displayWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}
