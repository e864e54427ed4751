import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './child-process.js';

/**
 * A clean merge; one with conflicts, whose content holds git's markers around each place a
 * hand edit and the generated change touch the same lines; or no merge at all (no git).
 */
export type MergeResult =
  | { ok: true; content: string }
  | { ok: 'conflicts'; content: string; conflicts: number }
  | { ok: false; reason: string };

/** The first line of a conflict this merge writes: what a file still to resolve holds. */
export const CONFLICT_START = '<<<<<<< your edits';

export const hasConflicts = (content: string): boolean =>
  content.includes(`\n${CONFLICT_START}\n`) || content.startsWith(`${CONFLICT_START}\n`);

/**
 * Three-way merge of a generated file: `base` is what the generator wrote before, `ours`
 * is the file as it is now (maybe edited by hand), `theirs` is what the generator writes
 * now. Hand edits survive wherever they do not touch the lines the generator changes.
 */
export async function mergeGenerated(base: string, ours: string, theirs: string): Promise<MergeResult> {
  if (ours === base) return { ok: true, content: theirs };
  if (ours === theirs) return { ok: true, content: ours };
  const dir = mkdtempSync(join(tmpdir(), 'bdk-merge-'));
  try {
    const [oursFile, baseFile, theirsFile] = ['ours', 'base', 'theirs'].map((name) => join(dir, name)) as [
      string,
      string,
      string,
    ];
    writeFileSync(oursFile, ours);
    writeFileSync(baseFile, base);
    writeFileSync(theirsFile, theirs);
    // Exit code: 0 merged cleanly, N > 0 conflicts, negative on error. The result is left in oursFile.
    const labels = ['-L', 'your edits', '-L', 'generated before', '-L', 'generated now'];
    const result = await runTool(
      'git',
      ['merge-file', '--quiet', ...labels, oursFile, baseFile, theirsFile],
      dir,
    ).catch(() => undefined);
    if (result === undefined || result.code === null || result.code < 0)
      return { ok: false, reason: 'it was changed by hand and git (used to merge) is not installed or failed' };
    const content = readFileSync(oursFile, 'utf8');
    return result.code === 0 ? { ok: true, content } : { ok: 'conflicts', content, conflicts: result.code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
