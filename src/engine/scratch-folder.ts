import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimFolder, discardIfAbandoned, releaseFolder } from './owned-folder.js';

/** A folder to work in, and how to give it up (its files go with it). */
export interface ScratchFolder {
  path: string;
  release: () => void;
}

// Runs at once in one project (dry runs, which take no lock on it), and the two versions of
// a resource one run formats at once, each get a slot.
const SLOTS = 4;

/**
 * A scratch folder at the same path on every run for `root` and `prefix`. drizzle-kit loads
 * the schema through tsx, whose on-disk cache is keyed by a file's path, so a new random
 * folder on each run missed it (0.41 against 0.33 s for drizzle-kit here) and left an entry
 * per file per run under the system's temporary folder. Slots left by killed runs are
 * cleared as it looks, so none stays behind; when every slot is taken, a random folder.
 */
export function claimScratchFolder(root: string, prefix: string): ScratchFolder {
  const base = join(tmpdir(), `${prefix}${hash('sha1', root, 'hex').slice(0, 12)}`);
  const slots = Array.from({ length: SLOTS }, (_, slot) => `${base}-${slot}`);
  for (const path of slots) discardIfAbandoned(path);
  const path = slots.find((slot) => claimFolder(slot));
  if (path !== undefined) return { path, release: () => releaseFolder(path) };
  const random = mkdtempSync(join(tmpdir(), prefix));
  return { path: random, release: () => rmSync(random, { recursive: true, force: true }) };
}
