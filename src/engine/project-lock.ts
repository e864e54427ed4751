import { hash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { claimFolder, holderOf, releaseFolder } from './owned-folder.js';

/** How long a run waits for another run on the same project to finish. */
const LOCK_WAIT_MS = 120_000;
const POLL_MS = 50;

/** The folder that is the lock on `root`. */
export const projectLockPath = (root: string): string =>
  join(tmpdir(), `bdk-run-${hash('sha1', root, 'hex').slice(0, 12)}`);

/**
 * Holds `root` for one run that writes to it: a second run at once would plan against files
 * the first is about to change, and both would number their migration the same. It waits
 * for the first run to finish; a run that was killed holds nothing. The lock is a folder in
 * the system's temporary folder, so the project gets no file of it.
 */
export async function lockProject(root: string, waitMs = LOCK_WAIT_MS): Promise<() => void> {
  const path = projectLockPath(root);
  const deadline = Date.now() + waitMs;
  while (!claimFolder(path)) {
    if (Date.now() >= deadline) {
      const holder = holderOf(path);
      throw new Error(
        `another backend-dev-kit run${holder === undefined ? '' : ` (pid ${holder})`} has been changing ${root} for over ${Math.round(waitMs / 1000)} s; let it finish or stop it, then run again`,
      );
    }
    await sleep(POLL_MS);
  }
  return () => releaseFolder(path);
}
