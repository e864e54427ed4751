import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { positionalEnumProblems } from '../../generators/route/checks.js';
import { parseFields } from '../../generators/route/fields.js';

const serviceOn = (database: string) => {
  const root = mkdtempSync(join(tmpdir(), 'bdk-enums-'));
  const manifest = { database, resources: { posts: 'title:string status:enum(draft,live)=draft' } };
  writeFileSync(join(root, 'backend-dev-kit.json'), JSON.stringify(manifest));
  return root;
};
const sqlite = serviceOn('sqlite');
const postgres = serviceOn('postgres');
afterAll(() => {
  for (const root of [sqlite, postgres]) rmSync(root, { recursive: true, force: true });
});

describe('an enum of a resource generated again on SQLite', () => {
  it('may gain values at the end', () => {
    expect(positionalEnumProblems(sqlite, 'posts', parseFields('title:string status:enum(draft,live,gone)'))).toEqual([]);
  });

  it('is refused, saying why, when a value moves or goes: the stored positions would read as others', () => {
    for (const spec of ['status:enum(live,draft)', 'status:enum(draft,gone)', 'status:enum(live)']) {
      const [problem] = positionalEnumProblems(sqlite, 'posts', parseFields(spec));
      expect(problem).toContain('on SQLite an enum stores each value');
      expect(problem).toContain('(draft,live -> draft,live,new)');
    }
  });

  it('is left to PostgreSQL, whose enums are types of their own', () => {
    expect(positionalEnumProblems(postgres, 'posts', parseFields('status:enum(live,draft)'))).toEqual([]);
  });
});
