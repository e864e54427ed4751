import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimScratchFolder } from '../../src/engine/scratch-folder.js';

const PREFIX = 'bdk-scratch-test-';
const longAgo = new Date(Date.now() - 3_600_000);

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

  it('takes over a slot whose run was killed, and never one whose owner still runs', () => {
    const root = `/projects/${randomUUID()}`;
    const killed = claimScratchFolder(root, PREFIX);
    const live = claimScratchFolder(root, PREFIX);
    writeFileSync(join(killed.path, '.owner'), String(deadPid()));
    writeFileSync(join(killed.path, 'left-behind.ts'), 'export {};\n');
    for (const folder of [killed, live]) utimesSync(folder.path, longAgo, longAgo);
    try {
      const next = claimScratchFolder(root, PREFIX);
      expect(next.path).toBe(killed.path);
      expect(existsSync(join(next.path, 'left-behind.ts'))).toBe(false);
      const another = claimScratchFolder(root, PREFIX);
      expect(another.path).not.toBe(live.path);
      another.release();
      next.release();
    } finally {
      live.release();
    }
  });

  it('leaves a fresh slot alone even when its owner is gone: it may be being made', () => {
    const root = `/projects/${randomUUID()}`;
    const making = claimScratchFolder(root, PREFIX);
    writeFileSync(join(making.path, '.owner'), String(deadPid()));
    try {
      const next = claimScratchFolder(root, PREFIX);
      expect(next.path).not.toBe(making.path);
      next.release();
    } finally {
      making.release();
    }
  });
});
