/**
 * The layering, one way: the core owns the store port and imports no adapter and no
 * CLI; the adapters (src/store, src/postgres) never import the CLI. Read from the
 * sources' import specifiers, static and dynamic, so a lazy `import()` counts too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Which top-level folders of src each folder may not import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  core: ['store', 'postgres', 'cli'],
  store: ['cli', 'postgres'],
  postgres: ['cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file imports, re-exports or loads with `import()`, as a path under src. */
function importedModules(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]+)['"]/gm)].map((match) => match[1]!);
  return specifiers.map((specifier) => relative(SRC, resolve(dirname(file), specifier)));
}

/** The top-level folder of src a path is in (`core`, `store`, …), or the file's own name for src/main.ts and the like. */
function layerOf(pathUnderSrc: string): string {
  return pathUnderSrc.split('/')[0]!;
}

/** Every import that crosses the layering the wrong way, as `from -> to`. */
function violations(): string[] {
  return sourceFiles(SRC).flatMap((file) => {
    const from = relative(SRC, file);
    const forbidden = FORBIDDEN[layerOf(from)] ?? [];
    return importedModules(file, readFileSync(file, 'utf8'))
      .filter((to) => forbidden.includes(layerOf(to)))
      .map((to) => `${from} -> ${to}`);
  });
}

describe('import graph', () => {
  it('finds static, re-exported and dynamic imports', () => {
    const text = "import { a } from '../store/x.js';\nexport { b } from '../cli/y.js';\nconst c = await import('../postgres/z.js');\nimport '../core/side.js';";
    expect(importedModules(join(SRC, 'core', 'f.ts'), text)).toEqual(['store/x.js', 'cli/y.js', 'postgres/z.js', 'core/side.js']);
  });

  it('keeps the core free of adapters and the CLI, and the adapters free of the CLI', () => {
    expect(violations()).toEqual([]);
  });

  it('covers every layer it names', () => {
    const layers = new Set(sourceFiles(SRC).map((file) => layerOf(relative(SRC, file))));
    expect(layers.has('core') && layers.has('store') && layers.has('cli')).toBe(true);
  });
});
