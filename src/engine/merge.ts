import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from './child-process.js';

export type MergeResult = { ok: true; content: string } | { ok: false; reason: string };

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
    const result = await runTool('git', ['merge-file', '--quiet', oursFile, baseFile, theirsFile], dir).catch(
      () => undefined,
    );
    if (result === undefined)
      return { ok: false, reason: 'it was changed by hand and git (used to merge) is not installed' };
    if (result.code === 0) return { ok: true, content: readFileSync(oursFile, 'utf8') };
    return {
      ok: false,
      reason:
        'it differs from what this version of backend-dev-kit generates on the lines the new fields go into (a hand edit, or code an older version wrote)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
