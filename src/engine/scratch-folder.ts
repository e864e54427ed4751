import { hash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A folder to work in, and how to give it up (its files go with it). */
export interface ScratchFolder {
  path: string;
  release: () => void;
}

// Runs at once in one project (an agent's dry runs, an MCP client's calls) each get a slot.
const SLOTS = 4;
const OWNER_FILE = '.owner';
// A slot whose owner has died is taken over only once it is this old: the owner file is
// written just after the folder is made, and a slot never lives long without one.
const STALE_AFTER_MS = 60_000;

/**
 * A scratch folder at the same path on every run for `root`: drizzle-kit loads the schema
 * through tsx, whose on-disk cache is keyed by a file's path, so a new random folder on each
 * run missed it (0.41 against 0.33 s for drizzle-kit here) and left an entry per file per run
 * under the system's temporary folder. When every slot is taken, a random folder as before.
 */
export function claimScratchFolder(root: string, prefix: string): ScratchFolder {
  const base = join(tmpdir(), `${prefix}${hash('sha1', root, 'hex').slice(0, 12)}`);
  for (let slot = 0; slot < SLOTS; slot += 1) {
    const path = `${base}-${slot}`;
    if (claim(path) || (abandoned(path) && discard(path) && claim(path))) {
      return { path, release: () => rmSync(path, { recursive: true, force: true }) };
    }
  }
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, release: () => rmSync(path, { recursive: true, force: true }) };
}

/** Makes `path`, which only one process can do; false when it exists. */
function claim(path: string): boolean {
  try {
    // Private, as mkdtemp makes its folders: it holds a copy of the project's sources.
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(path, OWNER_FILE), String(process.pid));
  return true;
}

/** A slot left by a run that was killed: its owner process is gone, or it never named one. */
function abandoned(path: string): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs < STALE_AFTER_MS) return false;
    const owner = Number(readFileSync(join(path, OWNER_FILE), 'utf8'));
    return !Number.isInteger(owner) || owner <= 0 || !isRunning(owner);
  } catch (error) {
    // No owner file in a slot this old: its run died between making it and naming itself.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
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

/** Moves an abandoned slot aside (one process wins the rename) and deletes it; true when this process did. */
function discard(path: string): boolean {
  const aside = `${path}.abandoned-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  return true;
}
