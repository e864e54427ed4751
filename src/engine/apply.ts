import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { type Change, writesContent } from './plan.js';

// What a run is writing, kept in the project while it writes: a run stopped halfway (killed,
// out of time) is finished or undone by the next one from it, never left half-written. It
// exists for milliseconds, unless a run was stopped.
export const APPLY_JOURNAL = '.backend-dev-kit-applying.json';

/**
 * The files of one run, by path relative to the root. `committed` is set once every new
 * file is written beside its target and every file to delete is moved aside: from then on
 * the run is finished by renaming; before then, it is undone by removing what it wrote.
 */
interface Journal {
  pid: number;
  committed: boolean;
  staged: { temporary: string; target: string }[];
  movedAside: { aside: string; target: string }[];
}

/**
 * Writes the changes. Each file is written beside its target first, and each file to
 * delete is moved aside; only when all of that worked are the new files renamed into
 * place and the old ones removed, so a failed write leaves the tree as it was, and a run
 * stopped halfway is completed or undone by the next (finishStoppedRun).
 */
export function applyChanges(changes: Change[], root: string): void {
  const written = changes.filter(writesContent);
  const temporary = (path: string) => `${path}.${process.pid}.tmp`;
  const journal: Journal = {
    pid: process.pid,
    committed: false,
    staged: written.map((change) => ({ temporary: temporary(change.path), target: change.path })),
    movedAside: changes
      .filter((change) => change.kind === 'delete')
      .map((change) => ({ aside: `${change.path}.${process.pid}.deleted`, target: change.path })),
  };
  writeJournal(root, journal);
  try {
    for (const change of written) {
      mkdirSync(dirname(join(root, change.path)), { recursive: true });
      writeFileSync(join(root, temporary(change.path)), change.content);
    }
    for (const { aside, target } of journal.movedAside) renameSync(join(root, target), join(root, aside));
  } catch (error) {
    undo(root, journal);
    throw error;
  }
  writeJournal(root, { ...journal, committed: true });
  finish(root, journal);
}

/**
 * Completes, or undoes, the writes of a run that was stopped while it wrote; says what it
 * did, or undefined when no run was stopped.
 */
export function finishStoppedRun(root: string): string | undefined {
  const journal = stoppedRun(root);
  if (journal === undefined) return undefined;
  if (journal.committed) {
    finish(root, journal);
    return `check ${filesOf(journal)}: an earlier run (pid ${journal.pid}) was stopped while it wrote them, and this run completed its writes first`;
  }
  undo(root, journal);
  return `an earlier run (pid ${journal.pid}) was stopped before it had changed any file; this run removed what it had begun to write`;
}

/** What the next real run will do about a run stopped while it wrote, for a dry run to say; undefined when none was. */
export function pendingStoppedRun(root: string): string | undefined {
  const journal = stoppedRun(root);
  if (journal === undefined) return undefined;
  return journal.committed
    ? `an earlier run (pid ${journal.pid}) was stopped while it wrote ${filesOf(journal)}: the real run completes those writes first, so what it writes can differ from this list`
    : `an earlier run (pid ${journal.pid}) was stopped before it had changed any file: the real run removes what it had begun to write first`;
}

function stoppedRun(root: string): Journal | undefined {
  const path = join(root, APPLY_JOURNAL);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Journal) : undefined;
}

const filesOf = (journal: Journal): string =>
  [...journal.staged.map((file) => file.target), ...journal.movedAside.map((file) => `${file.target} (deleted)`)].join(
    ', ',
  );

function writeJournal(root: string, journal: Journal): void {
  // A new service's folder does not exist until its first write.
  mkdirSync(root, { recursive: true });
  const path = join(root, APPLY_JOURNAL);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** Renames what was written into place and removes what was moved aside; each step skips what is done. */
function finish(root: string, journal: Journal): void {
  for (const { temporary, target } of journal.staged) {
    if (existsSync(join(root, temporary))) renameSync(join(root, temporary), join(root, target));
  }
  for (const { aside, target } of journal.movedAside) {
    rmSync(join(root, aside), { force: true });
    removeEmptyFolders(dirname(join(root, target)), root);
  }
  rmSync(join(root, APPLY_JOURNAL));
}

function undo(root: string, journal: Journal): void {
  for (const { temporary } of journal.staged) rmSync(join(root, temporary), { force: true });
  for (const { aside, target } of journal.movedAside) {
    if (existsSync(join(root, aside))) renameSync(join(root, aside), join(root, target));
  }
  rmSync(join(root, APPLY_JOURNAL), { force: true });
}

/** Removes `folder` and its parents, up to `root`, while they are empty. */
function removeEmptyFolders(folder: string, root: string): void {
  for (
    let dir = folder;
    dir.startsWith(`${root}/`) && existsSync(dir) && readdirSync(dir).length === 0;
    dir = dirname(dir)
  ) {
    rmdirSync(dir);
  }
}
