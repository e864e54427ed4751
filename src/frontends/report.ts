import { unifiedDiff } from '../engine/diff.js';
import type { RunResult } from '../engine/runner.js';

/** A run's result as programs get it: without the file contents, with diffs on a dry run. */
export function report(result: RunResult) {
  const { changes, ...rest } = result;
  if (!result.dryRun) return rest;
  const diffs = Object.fromEntries(
    changes.flatMap((change) =>
      change.kind === 'modify' || change.kind === 'overwrite'
        ? [[change.path, unifiedDiff(change.path, change.previous, change.content)]]
        : change.kind === 'delete'
          ? [[change.path, unifiedDiff(change.path, change.previous, '')]]
          : [],
    ),
  );
  return { ...rest, diffs };
}
