/**
 * The core and the store adapters speak in domain terms: their messages and hints
 * name no CLI flag (`--limit`), no environment variable of the CLI (`VERICODE_STORE`)
 * and no command (`peridio …`, `{command}` placeholders); the CLI words those, from
 * an error's data and its `next` step. Read from the sources' string literals and
 * templates, comments left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');
/** The layers below the CLI: a library caller sees their errors as they are. */
const BELOW_CLI = ['core', 'store', 'postgres'];

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

/** The literals of `source` that name a flag, a variable of the CLI's environment, or a command. */
function cliWords(source: string): string[] {
  return stringLiterals(source).filter((text) => /(^|[^A-Za-z0-9-])--[a-z]|\bVERICODE_[A-Z]|\bperidio |\{command\}/.test(text));
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
      "const f = 'set VERICODE_STORE'; const g = 'run peridio init'; const h = 'peridiot';",
    ].join('\n');
    expect(cliWords(source)).toEqual(['invalid --limit', 'see ${x} and {command} list', 'a \\" --quoted', 'set VERICODE_STORE', 'run peridio init']);
  });

  it('keeps flags, the CLI environment and commands out of the core and the store adapters', () => {
    // Each file's offending literals: an error gives data (a field, a range, a next step), and the CLI words it.
    const found = Object.fromEntries(
      BELOW_CLI.flatMap((layer) => sourceFiles(join(SRC, layer)))
        .map((file) => [relative(SRC, file), cliWords(readFileSync(file, 'utf8'))] as const)
        .filter(([, words]) => words.length > 0),
    );
    expect(found).toEqual({});
  });
});
