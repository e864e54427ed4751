import { describe, expect, it } from 'vitest';
import { hasConflicts, mergeGenerated } from '../../src/engine/merge.js';

const base = 'one\ntwo\nthree\nfour\nfive\nsix\n';

describe('mergeGenerated', () => {
  it('keeps a hand edit away from the generated change', async () => {
    const ours = base.replace('one', 'one // by hand');
    const theirs = base.replace('six', 'six\nseven');
    expect(await mergeGenerated(base, ours, theirs)).toEqual({
      ok: true,
      content: 'one // by hand\ntwo\nthree\nfour\nfive\nsix\nseven\n',
    });
  });

  it('leaves git-style markers where a hand edit and the change touch the same lines, and counts them', async () => {
    const ours = base.replace('six', 'six // by hand');
    const theirs = base.replace('six', 'six\nseven');
    const merged = await mergeGenerated(base, ours, theirs);
    expect(merged).toEqual({
      ok: 'conflicts',
      conflicts: 1,
      content:
        'one\ntwo\nthree\nfour\nfive\n<<<<<<< your edits\nsix // by hand\n=======\nsix\nseven\n>>>>>>> generated now\n',
    });
    expect(merged.ok === 'conflicts' && hasConflicts(merged.content)).toBe(true);
    expect(hasConflicts(base)).toBe(false);
  });
});
