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
      else if (!specifier!.startsWith('node:')) packages.add(specifier!.split('/').slice(0, specifier!.startsWith('@') ? 2 : 1).join('/'));
    }
  };
  visit(join(SRC, 'main.ts'));
  return { modules: new Set([...modules].map((m) => relative(SRC, m))), packages };
}

describe('modules loaded at startup', () => {
  const { modules, packages } = eagerGraph(join(SRC, 'main.ts'));

  it('reaches the command tree (the graph walk works)', () => {
    expect(modules).toContain('cli/commands/ca-certificates/create.ts');
    expect(modules).toContain('core/verification-codes.ts');
    expect(packages).toContain('commander');
  });

  it('excludes X.509 code and the CA registration modules', () => {
    expect([...modules].filter((m) => m.startsWith('core/x509/'))).toEqual([]);
    expect([...modules].filter((m) => /^core\/ca-certificates\/(register|verify|insert|bind-code|query|update|delete)\.ts$/.test(m))).toEqual([]);
  });

  it('excludes the heavy packages', () => {
    for (const heavy of ['@peculiar/x509', 'reflect-metadata', '@inquirer/prompts', '@scure/bip39']) expect(packages).not.toContain(heavy);
  });
});
