/**
 * What every command loads before it runs: the static import graph of src/main.ts.
 * X.509 code, the CA registration modules and the prompt library must stay behind
 * `await import()`, so `verification-codes create` and the rest start fast.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/testdata.js';

const SRC = join(REPO_ROOT, 'src');
/** `import x from '…'` and `export … from '…'`, but not `import type` or `export type`. */
const STATIC_IMPORT = /^\s*(?:import(?!\s+type\s)[^'"]*?from\s+|import\s+|export(?!\s+type\s)[^'"]*?from\s+)['"]([^'"]+)['"]/gm;

function eagerGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (modules.has(file)) return;
    modules.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (specifier!.startsWith('.')) visit(join(dirname(file), specifier!).replace(/\.js$/, '.ts'));
      else if (!specifier!.startsWith('node:'))
        packages.add(
          specifier!
            .split('/')
            .slice(0, specifier!.startsWith('@') ? 2 : 1)
            .join('/'),
        );
    }
  };
  visit(entry);
  return { modules: new Set([...modules].map((m) => relative(SRC, m))), packages };
}

const HEAVY_PACKAGES = ['@peculiar/x509', 'reflect-metadata', '@inquirer/prompts', '@scure/bip39'];

describe('modules loaded at startup', () => {
  const startup = eagerGraph(join(SRC, 'main.ts'));

  it('reaches the program but no command: every noun is loaded only when typed', () => {
    expect(startup.modules).toContain('cli/program.ts');
    expect(startup.packages).toContain('commander');
    expect([...startup.modules].filter((m) => m.startsWith('cli/commands/'))).toEqual([]);
  });

  it('opens no store before a command needs one: help, version and x509 never load SQLite', () => {
    expect(startup.modules).not.toContain('store/store.ts');
    expect(startup.packages).not.toContain('better-sqlite3-multiple-ciphers');
    const x509 = eagerGraph(join(SRC, 'cli', 'commands', 'x509', 'index.ts'));
    expect(x509.packages).not.toContain('better-sqlite3-multiple-ciphers');
  });

  it('keeps the heavy packages out of main and of every noun', () => {
    for (const noun of [
      'init.ts',
      'organizations/index.ts',
      'ca-certificates/index.ts',
      'verification-codes/index.ts',
      'codes/index.ts',
      'x509/index.ts',
      'device-certificates/index.ts',
      'audit/index.ts',
      'store/index.ts',
    ]) {
      const graph = eagerGraph(join(SRC, 'cli', 'commands', noun));
      expect(graph.modules.size, noun).toBeGreaterThan(1);
      for (const heavy of HEAVY_PACKAGES) expect(graph.packages, `${noun} loads ${heavy}`).not.toContain(heavy);
    }
    for (const heavy of HEAVY_PACKAGES) expect(startup.packages).not.toContain(heavy);
  });

  it('loads no X.509 code and no CA registration for the code-issuing nouns', () => {
    for (const noun of ['verification-codes/index.ts', 'codes/index.ts']) {
      const { modules } = eagerGraph(join(SRC, 'cli', 'commands', noun));
      expect([...modules].filter((m) => m.startsWith('core/x509/'))).toEqual([]);
      expect([...modules].filter((m) => /^core\/ca-certificates\/(register|verify|insert|bind-code|query|update|delete)\.ts$/.test(m))).toEqual([]);
    }
  });

  it('keeps X.509 code behind await import() in the CA nouns too', () => {
    for (const noun of ['ca-certificates/index.ts', 'x509/index.ts', 'device-certificates/index.ts']) {
      const { modules } = eagerGraph(join(SRC, 'cli', 'commands', noun));
      expect(
        [...modules].filter((m) => m.startsWith('core/x509/')),
        noun,
      ).toEqual([]);
    }
  });
});
