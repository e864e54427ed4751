import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockProject, projectLockPath } from '../../src/engine/project-lock.js';

describe('lockProject', () => {
  it('makes a second run on one project wait until the first has finished', async () => {
    const root = `/projects/${randomUUID()}`;
    const order: string[] = [];
    const unlockFirst = await lockProject(root);
    const second = lockProject(root).then((unlock) => {
      order.push('second holds it');
      unlock();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    order.push('first lets go');
    unlockFirst();
    await second;
    expect(order).toEqual(['first lets go', 'second holds it']);
  });

  it('lets runs on other projects go at once', async () => {
    const unlock = await lockProject(`/projects/${randomUUID()}`);
    const other = await lockProject(`/projects/${randomUUID()}`, 0);
    other();
    unlock();
  });

  it('names the run it waited for when it gives up', async () => {
    const root = `/projects/${randomUUID()}`;
    const unlock = await lockProject(root);
    try {
      await expect(lockProject(root, 100)).rejects.toThrow(
        new RegExp(`another backend-dev-kit run \\(pid ${process.pid}\\) has been changing ${root} for over 0 s`),
      );
    } finally {
      unlock();
    }
  });

  it('takes the lock of a run that was killed at once', async () => {
    const root = `/projects/${randomUUID()}`;
    const unlock = await lockProject(root);
    // As a killed run leaves it: the folder, naming a process that is gone.
    writeFileSync(join(projectLockPath(root), '.owner'), String(spawnSync('true').pid));
    const again = await lockProject(root, 0);
    again();
    unlock();
  });
});
