// The new service as a git repository with its first commit, so it can be pushed, cloned
// and diffed from its first minute.

import { runTool } from '../../src/engine/child-process.js';

const FIRST_COMMIT = 'A new service from backend-dev-kit';
const BY_HAND = `git init && git add -A && git commit -m "${FIRST_COMMIT}"`;

/** Steps left to the user: none when the repository and its first commit were made. */
export async function commitNewService(dir: string): Promise<string[]> {
  const git = (...args: string[]) => runTool('git', args, dir).catch(() => undefined);
  // Inside another repository (a monorepo), the service is that repository's to commit.
  const inside = await git('rev-parse', '--is-inside-work-tree');
  if (inside === undefined) return [`install git, then: ${BY_HAND}`];
  if (inside.code === 0) return [];
  for (const step of [
    ['init', '--quiet', '--initial-branch=main'],
    ['add', '--all'],
  ]) {
    const done = await git(...step);
    if (done?.code !== 0) return [`${BY_HAND} (git ${step[0]} failed: ${done?.output.trim()})`];
  }
  const commit = await git('commit', '--quiet', '--message', FIRST_COMMIT);
  if (commit?.code === 0) return [];
  const reason = commit?.output.trim().split('\n')[0];
  return [`git commit -m "${FIRST_COMMIT}" (the files are staged; git could not commit: ${reason})`];
}
