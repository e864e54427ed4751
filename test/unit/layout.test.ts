import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packRoot } from '../../src/engine/pack.js';

function modules(folder: string): string[] {
  return readdirSync(join(packRoot, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? modules(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : [],
  );
}

/** `file -> imported module` for every relative import, as paths from the pack's root. */
function imports(folder: string): string[] {
  return modules(folder).flatMap((file) =>
    [...readFileSync(join(packRoot, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)].map(
      ([, specifier = '']) => `${file} -> ${relative(packRoot, resolve(packRoot, dirname(file), specifier))}`,
    ),
  );
}

describe("the pack's layout", () => {
  it('imports point from generators/ into src/, never back, but from the entry points that assemble them', () => {
    const back = imports('src').filter((line) => / -> generators\//.test(line) && !line.startsWith('src/entry/'));
    expect(back).toEqual([]);
  });

  it('keeps the engine free of the front ends and of any generator', () => {
    const outward = imports('src/engine').filter((line) => !/ -> src\/(engine|naming)\//.test(line));
    expect(outward).toEqual([]);
  });
});
