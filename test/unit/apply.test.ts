import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLY_JOURNAL, applyChanges, finishStoppedRun, pendingStoppedRun } from '../../src/engine/apply.js';
import { tempTree } from '../support/tree.js';

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');

/**
 * The tree as a run killed during its writes leaves it: `committed` once every new file was
 * written beside its target and the file to delete moved aside, and one rename done.
 */
function stoppedRun(committed: boolean): string {
  const root = tempTree({
    'src/index.ts': 'old index\n',
    'src/index.ts.4242.tmp': 'new index\n',
    'src/authors.ts': 'authors\n',
    'src/old/posts.ts.4242.deleted': 'posts\n',
    'drizzle/meta/0012_snapshot.json.4242.tmp': '{}\n',
  });
  writeFileSync(
    join(root, APPLY_JOURNAL),
    JSON.stringify({
      pid: 4242,
      committed,
      staged: [
        { temporary: 'src/index.ts.4242.tmp', target: 'src/index.ts' },
        { temporary: 'src/authors.ts.4242.tmp', target: 'src/authors.ts' },
        { temporary: 'drizzle/meta/0012_snapshot.json.4242.tmp', target: 'drizzle/meta/0012_snapshot.json' },
      ],
      movedAside: [{ aside: 'src/old/posts.ts.4242.deleted', target: 'src/old/posts.ts' }],
    }),
  );
  return root;
}

describe('applyChanges', () => {
  it('leaves no journal and no file beside its targets once it has written', () => {
    const root = tempTree({ 'a.ts': 'old\n', 'gone/b.ts': 'b\n' });
    applyChanges(
      [
        { kind: 'modify', path: 'a.ts', content: 'new\n', previous: 'old\n' },
        { kind: 'create', path: 'c/d.ts', content: 'd\n' },
        { kind: 'delete', path: 'gone/b.ts', previous: 'b\n' },
      ],
      root,
    );
    expect(readdirSync(root).sort()).toEqual(['a.ts', 'c']);
    expect(readdirSync(join(root, 'c'))).toEqual(['d.ts']);
    expect(read(root, 'a.ts')).toBe('new\n');
  });

  it('writes into a folder that does not exist yet, as a new service is', () => {
    const root = join(tempTree({}), 'new-service');
    applyChanges([{ kind: 'create', path: 'package.json', content: '{}\n' }], root);
    expect(readdirSync(root)).toEqual(['package.json']);
  });
});

describe('finishStoppedRun', () => {
  it('does nothing where no run was stopped', () => {
    const root = tempTree({ 'a.ts': 'a\n' });
    expect(finishStoppedRun(root)).toBeUndefined();
    expect(readdirSync(root)).toEqual(['a.ts']);
  });

  it('completes the writes of a run stopped while it renamed, and says which files to check', () => {
    const root = stoppedRun(true);
    // What a dry run says, changing nothing.
    expect(pendingStoppedRun(root)).toMatch(
      /pid 4242\) was stopped while it wrote .*: the real run completes those writes first/,
    );
    expect(existsSync(join(root, 'src/index.ts.4242.tmp'))).toBe(true);
    expect(finishStoppedRun(root)).toBe(
      'check src/index.ts, src/authors.ts, drizzle/meta/0012_snapshot.json, src/old/posts.ts (deleted): an earlier run (pid 4242) was stopped while it wrote them, and this run completed its writes first',
    );
    expect(read(root, 'src/index.ts')).toBe('new index\n');
    expect(read(root, 'src/authors.ts')).toBe('authors\n');
    expect(read(root, 'drizzle/meta/0012_snapshot.json')).toBe('{}\n');
    expect(existsSync(join(root, 'src/old'))).toBe(false);
    expect(existsSync(join(root, APPLY_JOURNAL))).toBe(false);
    expect(readdirSync(join(root, 'drizzle/meta'))).toEqual(['0012_snapshot.json']);
  });

  it('undoes a run stopped before it had changed any file', () => {
    const root = stoppedRun(false);
    expect(finishStoppedRun(root)).toMatch(/pid 4242\) was stopped before it had changed any file/);
    expect(read(root, 'src/index.ts')).toBe('old index\n');
    expect(read(root, 'src/old/posts.ts')).toBe('posts\n');
    expect(existsSync(join(root, 'drizzle/meta/0012_snapshot.json'))).toBe(false);
    expect(existsSync(join(root, 'drizzle/meta/0012_snapshot.json.4242.tmp'))).toBe(false);
    expect(existsSync(join(root, APPLY_JOURNAL))).toBe(false);
  });
});
