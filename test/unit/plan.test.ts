import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/engine/apply.js';
import { PlanError, planChanges } from '../../src/engine/plan.js';
import { deletion, type Placed } from '../../src/engine/templates.js';
import { tempTree } from '../support/tree.js';

const create = (path: string, content: string): Placed => ({ source: `${path}.hbs`, action: 'create', path, content });

describe('planChanges', () => {
  it('plans new files as creations and writes them on apply', () => {
    const root = tempTree({});
    const changes = planChanges([create('src/a.ts', 'a\n')], { root, force: false });
    expect(changes).toEqual([{ kind: 'create', path: 'src/a.ts', content: 'a\n' }]);
    applyChanges(changes, root);
    expect(readFileSync(join(root, 'src/a.ts'), 'utf8')).toBe('a\n');
  });

  it('refuses to replace an existing file without force, naming it, and reports every conflict', () => {
    const root = tempTree({ 'a.ts': 'mine\n', 'b.ts': 'mine\n' });
    const run = () => planChanges([create('a.ts', 'new\n'), create('b.ts', 'new\n')], { root, force: false });
    expect(run).toThrow(PlanError);
    expect(run).toThrow('a.ts already exists; pass --force to overwrite it\nb.ts already exists');
  });

  it('overwrites with force, and reports identical content as unchanged', () => {
    const root = tempTree({ 'a.ts': 'old\n', 'b.ts': 'same\n' });
    const changes = planChanges([create('a.ts', 'new\n'), create('b.ts', 'same\n')], { root, force: true });
    expect(changes.map((change) => change.kind)).toEqual(['overwrite', 'skip']);
  });

  it('leaves skip-if-exists files alone', () => {
    const root = tempTree({ '.env.example': 'mine\n' });
    const changes = planChanges([{ ...create('.env.example', 'x\n'), action: 'skip-if-exists' }], {
      root,
      force: true,
    });
    expect(changes).toEqual([{ kind: 'skip', path: '.env.example', reason: 'exists' }]);
  });

  it('injects into a file created earlier in the same run', () => {
    const root = tempTree({});
    const changes = planChanges(
      [
        create('routes.ts', 'start\n// marker\nend\n'),
        { source: 'r.hbs', action: 'inject', after: '// marker', path: 'routes.ts', content: 'posts();\n' },
      ],
      { root, force: false },
    );
    expect(changes).toEqual([{ kind: 'create', path: 'routes.ts', content: 'start\n// marker\nposts();\nend\n' }]);
  });

  it('a missing marker or file refuses the whole run before anything is written', () => {
    const root = tempTree({ 'routes.ts': 'no marker here\n' });
    const run = () =>
      planChanges(
        [
          create('new.ts', 'x\n'),
          { source: 'r.hbs', action: 'inject', after: '// marker', path: 'routes.ts', content: 'posts();\n' },
          { source: 's.hbs', action: 'inject', after: '// marker', path: 'missing.ts', content: 'posts();\n' },
        ],
        { root, force: false },
      );
    expect(run).toThrow('routes.ts: marker "// marker" not found');
    expect(run).toThrow('missing.ts: file not found');
  });

  it('plans deletions with what they remove, removes emptied folders, and skips files already gone', () => {
    const root = tempTree({ 'src/posts/a.ts': 'a\n', 'src/keep.ts': 'k\n' });
    const changes = planChanges([deletion('src/posts/a.ts', 'destroy'), deletion('src/gone.ts', 'destroy')], {
      root,
      force: false,
    });
    expect(changes).toEqual([
      { kind: 'delete', path: 'src/posts/a.ts', previous: 'a\n' },
      { kind: 'skip', path: 'src/gone.ts', reason: 'absent' },
    ]);
    applyChanges(changes, root);
    expect(existsSync(join(root, 'src/posts'))).toBe(false);
    expect(readdirSync(join(root, 'src'))).toEqual(['keep.ts']);
  });

  it('refuses to add lines to a file the same run deletes', () => {
    const root = tempTree({ 'routes.ts': '// marker\n' });
    const run = () =>
      planChanges(
        [
          deletion('routes.ts', 'destroy'),
          { source: 'r.hbs', action: 'inject', after: '// marker', path: 'routes.ts', content: 'posts();\n' },
        ],
        { root, force: false },
      );
    expect(run).toThrow('routes.ts: file not found');
  });

  it('leaves every file as it was when applying fails part way, deletions included', () => {
    const root = tempTree({ 'a.ts': 'a\n', 'b.ts': 'b\n' });
    const changes = planChanges([create('new.ts', 'new\n'), deletion('a.ts', 'destroy'), deletion('b.ts', 'destroy')], {
      root,
      force: false,
    });
    // Gone between the plan and the apply: the second deletion fails after the first has run.
    rmSync(join(root, 'b.ts'));
    expect(() => applyChanges(changes, root)).toThrow(/ENOENT/);
    expect(readdirSync(root)).toEqual(['a.ts']);
    expect(readFileSync(join(root, 'a.ts'), 'utf8')).toBe('a\n');
  });
});
