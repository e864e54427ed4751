import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/engine/diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a.ts', 'x\n', 'x\n')).toBe('');
  });

  it('shows an insertion with its context, as diff -u does', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n');
    const after = ['a', 'b', 'c', 'd', 'NEW', 'e', 'f', 'g', 'h', ''].join('\n');
    expect(unifiedDiff('x.ts', before, after)).toBe(
      ['--- a/x.ts', '+++ b/x.ts', '@@ -2,6 +2,7 @@', ' b', ' c', ' d', '+NEW', ' e', ' f', ' g', ''].join('\n'),
    );
  });

  it('keeps distant changes in separate hunks', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const changed = lines.map((line, i) => (i === 1 || i === 18 ? `${line}!` : line));
    const diff = unifiedDiff('x.ts', lines.join('\n'), changed.join('\n'));
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('-line 1\n+line 1!');
  });
});
