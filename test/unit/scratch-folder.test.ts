import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimScratchFolder } from '../../src/engine/scratch-folder.js';

const PREFIX = 'bdk-scratch-test-';

/** A pid no process has any more: a child that has exited. */
const deadPid = (): number => {
  const pid = spawnSync('true').pid;
  if (pid === undefined) throw new Error('no child process');
  return pid;
};

describe('claimScratchFolder', () => {
  it('gives every run for one project the same folder, so caches keyed by path hit', () => {
    const root = `/projects/${randomUUID()}`;
    const first = claimScratchFolder(root, PREFIX);
    first.release();
    const second = claimScratchFolder(root, PREFIX);
    // Private, as mkdtemp's folders are: it holds a copy of the project's sources.
    expect(statSync(second.path).mode & 0o777).toBe(0o700);
    second.release();
    expect(second.path).toBe(first.path);
    expect(existsSync(first.path)).toBe(false);
    const otherProject = claimScratchFolder(`/projects/${randomUUID()}`, PREFIX);
    otherProject.release();
    expect(otherProject.path).not.toBe(first.path);
  });

  it('gives runs at once their own folders, and a random one when every slot is taken', () => {
    const root = `/projects/${randomUUID()}`;
    const held = Array.from({ length: 5 }, () => claimScratchFolder(root, PREFIX));
    try {
      expect(new Set(held.map((folder) => folder.path)).size).toBe(5);
      expect(held.slice(0, 4).map((folder) => folder.path.at(-1))).toEqual(['0', '1', '2', '3']);
      for (const folder of held.slice(0, 4)) {
        expect(readFileSync(join(folder.path, '.owner'), 'utf8')).toBe(String(process.pid));
      }
    } finally {
      for (const folder of held) folder.release();
    }
  });

  it('takes over the slots of killed runs, and never one whose owner still runs', () => {
    const root = `/projects/${randomUUID()}`;
    const [first, live, third, fourth] = Array.from({ length: 4 }, () => claimScratchFolder(root, PREFIX));
    if (first === undefined || live === undefined || third === undefined || fourth === undefined) {
      throw new Error('no slots');
    }
    for (const killed of [first, third, fourth]) writeFileSync(join(killed.path, '.owner'), String(deadPid()));
    writeFileSync(join(first.path, 'left-behind.ts'), 'export {};\n');
    try {
      const next = claimScratchFolder(root, PREFIX);
      expect(next.path).toBe(first.path);
      expect(existsSync(join(next.path, 'left-behind.ts'))).toBe(false);
      // The other killed runs' slots are cleared as it looks, not left for ever.
      expect(existsSync(third.path)).toBe(false);
      expect(existsSync(fourth.path)).toBe(false);
      expect(existsSync(live.path)).toBe(true);
      next.release();
    } finally {
      live.release();
    }
  });
});
