import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A folder that only one process holds at a time: the holder's pid is in it from the moment
// it exists (it is made under another name and renamed into place), so a folder whose
// holder has died can be taken over at once.
const OWNER_FILE = '.owner';

/** Makes `path`, held by this process; false while a running process holds it. */
export function claimFolder(path: string): boolean {
  return create(path) || (discardIfAbandoned(path) && create(path));
}

/** Gives `path` up, and everything in it. */
export function releaseFolder(path: string): void {
  discard(path);
}

/** The pid of the process holding `path`, when there is one. */
export function holderOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(path, OWNER_FILE), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Removes `path` when the process that held it has died; true when there is nothing left to remove. */
export function discardIfAbandoned(path: string): boolean {
  return abandoned(path) && discard(path);
}

function create(path: string): boolean {
  const staging = `${path}.${process.pid}.claiming`;
  // Private, as mkdtemp makes its folders: a scratch folder holds a copy of a project's sources.
  mkdirSync(staging, { mode: 0o700 });
  writeFileSync(join(staging, OWNER_FILE), String(process.pid));
  try {
    // A folder renamed onto a folder that has files in it fails: one claimer wins.
    renameSync(staging, path);
    return true;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw error;
  }
}

// No holder named: the folder is gone, or was left by something else than this module.
function abandoned(path: string): boolean {
  const holder = holderOf(path);
  return holder === undefined || !isRunning(holder);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves `path` aside (of several processes, one wins the rename) and deletes it. */
function discard(path: string): boolean {
  const aside = `${path}.${process.pid}.discarded`;
  try {
    renameSync(path, aside);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  rmSync(aside, { recursive: true, force: true });
  return true;
}
