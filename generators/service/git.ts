// The new service as a git repository with its first commit, so it can be pushed, cloned
// and diffed from its first minute.

import { runTool } from '../../src/engine/child-process.js';

const FIRST_COMMIT = 'A new service from backend-dev-kit';

/** Steps left to the user: none when the repository and its first commit were made. */
export async function commitNewService(dir: string): Promise<string[]> {
  const git = (...args: string[]) => runTool('git', args, dir).catch(() => undefined);
  // Inside another repository (a monorepo), the service is that repository's to commit.
  const inside = await git('rev-parse', '--is-inside-work-tree');
  if (inside === undefined) return ['install git, then: git init && git add -A && git commit -m "First commit"'];
  if (inside.code === 0) return [];
  const init = await git('init', '--quiet', '--initial-branch=main');
  const add = init?.code === 0 ? await git('add', '--all') : undefined;
  if (add?.code !== 0)
    return [
      `git init && git add -A && git commit -m "${FIRST_COMMIT}" (git failed: ${(init?.code === 0 ? add : init)?.output.trim()})`,
    ];
  const commit = await git('commit', '--quiet', '--message', FIRST_COMMIT);
  return commit?.code === 0
    ? []
    : [
        `git commit -m "${FIRST_COMMIT}" (the files are staged; git could not commit: ${commit?.output.trim().split('\n')[0]})`,
      ];
}
