/**
 * The core speaks in domain terms: its messages and hints name no CLI flag
 * (`--limit`) and no command (`{command}` placeholders); the CLI words those. Read
 * from the sources' string literals and templates, comments left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = resolve(__dirname, '../../src/core');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The string literals and templates of a TypeScript source, comments skipped. A
 * template's `${…}` parts are kept in its text (a flag written there still counts).
 */
export function stringLiterals(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2);
      if (i < 0) break;
      i += 2;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      found.push(source.slice(i + 1, j));
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return found;
}

/** The literals of `source` that name a flag or the command placeholder. */
function cliWords(source: string): string[] {
  return stringLiterals(source).filter((text) => /(^|[^A-Za-z0-9-])--[a-z]/.test(text) || text.includes('{command}'));
}

describe('core words', () => {
  it('finds flags and placeholders in literals and templates, not in comments', () => {
    const source = [
      '// see --limit',
      '/* {command} list */',
      "const a = 'invalid --limit';",
      'const b = `see ${x} and {command} list`;',
      'const c = "a \\" --quoted";',
      "const d = 'page size 0'; const e = 'x-y--z';",
    ].join('\n');
    expect(cliWords(source)).toEqual(['invalid --limit', 'see ${x} and {command} list', 'a \\" --quoted']);
  });

  it('keeps flags and command placeholders out of the core', () => {
    // Each file's offending literals: a core error gives data (a field, a range), and the CLI words it with flags.
    const found = Object.fromEntries(
      sourceFiles(CORE)
        .map((file) => [relative(CORE, file), cliWords(readFileSync(file, 'utf8'))] as const)
        .filter(([, words]) => words.length > 0),
    );
    expect(found).toEqual({});
  });
});
