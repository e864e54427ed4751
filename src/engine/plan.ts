import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addModuleLines, appendBlock, injectAtMarker } from './injection.js';
import type { Placed } from './templates.js';

/** What a generator run does to one file. Paths are relative to the run's root. */
export type Change =
  | { kind: 'create'; path: string; content: string }
  | { kind: 'overwrite'; path: string; content: string; previous: string }
  | { kind: 'modify'; path: string; content: string; previous: string }
  | { kind: 'delete'; path: string; previous: string }
  | { kind: 'skip'; path: string; reason: string };

/** Whether a change leaves a file with content (every kind but delete and skip). */
export const writesContent = (change: Change): change is Extract<Change, { content: string }> =>
  change.kind !== 'skip' && change.kind !== 'delete';

/** Every reason a run was refused; nothing was written. */
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PlanError';
  }
}

export interface PlanOptions {
  /** Absolute directory the relative paths are resolved against. */
  root: string;
  /** Overwrite files that `create` templates would otherwise refuse to replace. */
  force: boolean;
}

/**
 * Turns rendered templates into changes, reading the tree but writing nothing. Every
 * problem is collected, so one refused run reports all of them at once.
 */
export function planChanges(placed: Placed[], options: PlanOptions): Change[] {
  const problems: string[] = [];
  // The tree as it will be after the changes planned so far: a later template may
  // inject into a file an earlier one creates. `null`: a file planned to be deleted.
  const pending = new Map<string, string | null>();
  // Each file on disk is read once, whether to plan against it or to compare with it.
  const onDisk = new Map<string, string | undefined>();
  const original = (path: string): string | undefined => {
    if (!onDisk.has(path)) {
      const absolute = join(options.root, path);
      onDisk.set(path, existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined);
    }
    return onDisk.get(path);
  };
  const read = (path: string): string | undefined => {
    const planned = pending.get(path);
    return planned === null ? undefined : (planned ?? original(path));
  };

  for (const file of placed) {
    const current = read(file.path);
    if (file.action === 'delete') {
      pending.set(file.path, null);
      continue;
    }
    if (file.action === 'append' && current === undefined) {
      pending.set(file.path, file.content);
      continue;
    }
    if (file.action === 'inject' || file.action === 'import' || file.action === 'append') {
      if (current === undefined) {
        problems.push(`${file.path}: file not found; the generator adds lines to it (from ${file.source})`);
        continue;
      }
      try {
        pending.set(
          file.path,
          file.action === 'import'
            ? addModuleLines(current, file.content)
            : file.action === 'append'
              ? appendBlock(current, file.content)
              : file.before !== undefined
                ? injectAtMarker(current, file.path, file.before, file.content, 'before')
                : injectAtMarker(current, file.path, file.after ?? '', file.content),
        );
      } catch (error) {
        problems.push((error as Error).message);
      }
      continue;
    }
    if (current === undefined || pending.has(file.path)) {
      pending.set(file.path, file.content);
      continue;
    }
    if (file.action === 'skip-if-exists') continue;
    if (!options.force && file.action !== 'replace') {
      problems.push(`${file.path} already exists; pass --force to overwrite it`);
      continue;
    }
    pending.set(file.path, file.content);
  }
  if (problems.length > 0) throw new PlanError(problems);

  const changes: Change[] = [];
  for (const file of placed) {
    if (changes.some((change) => change.path === file.path)) continue;
    const content = pending.get(file.path);
    const previous = original(file.path);
    if (content === null) {
      changes.push(
        previous === undefined
          ? { kind: 'skip', path: file.path, reason: 'absent' }
          : { kind: 'delete', path: file.path, previous },
      );
    } else if (content === undefined) {
      changes.push({ kind: 'skip', path: file.path, reason: 'exists' });
    } else if (previous === undefined) {
      changes.push({ kind: 'create', path: file.path, content });
    } else if (previous === content) {
      changes.push({ kind: 'skip', path: file.path, reason: 'unchanged' });
    } else if (file.action !== 'create') {
      changes.push({ kind: 'modify', path: file.path, content, previous });
    } else {
      changes.push({ kind: 'overwrite', path: file.path, content, previous });
    }
  }
  return changes;
}
