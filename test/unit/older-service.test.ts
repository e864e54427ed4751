import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { olderServiceProblems } from '../../generators/route/checks.js';

/** A service folder holding only the given shared files. */
function serviceWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bdk-older-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('a service an earlier version wrote', () => {
  it('is told which shared files to copy before a list of this version can use them', () => {
    const root = serviceWith({
      'src/db/keyset.ts': 'export function keyset(column, id, descending, cursor) {}\n',
      'src/db/prepared.ts': 'export function nullablePlaceholder(name, column) {}\n',
      'src/http/pagination.ts': 'export const cursorParam = z.string().max(1024);\n',
    });
    const problems = olderServiceProblems(root);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^src\/db\/keyset.ts has the keyset\(\) of an earlier version/);
    expect(problems[0]).toContain('route <plural> --force');
    expect(problems[1]).toMatch(/^src\/db\/prepared.ts has no preparedShapes\(\)/);
    expect(problems[2]).toMatch(/^src\/http\/pagination.ts is an earlier version's/);
  });

  it('needs nothing where the files are missing (a route writes them) or current', () => {
    expect(olderServiceProblems(serviceWith({}))).toEqual([]);
    const current = serviceWith({
      'src/db/keyset.ts': 'export function cursorValues(cursor) {}\n',
      'src/db/prepared.ts': 'export function preparedShapes(shapeOf, prepare) {}\n',
      'src/http/pagination.ts': 'const MAX_CURSOR_LENGTH = 2048;\n',
    });
    expect(olderServiceProblems(current)).toEqual([]);
  });
});
