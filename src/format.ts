import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { runTool } from './child-process.js';
import type { Change } from './plan.js';

const FORMATTED = new Set(['.ts', '.js', '.mjs', '.cjs', '.json']);

/**
 * Passes every written TypeScript, JavaScript and JSON file through the project's own
 * Biome (format, then sort imports), so generated code is what `npm run lint` expects
 * even where a template's lines depend on the answers. The files are formatted in a
 * scratch copy with the project's biome.json, by one Biome process, before anything is
 * written. A project without Biome installed is left as rendered.
 */
export async function formatChanges(changes: Change[], root: string): Promise<Change[]> {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  const config = join(root, 'biome.json');
  const targets = changes.filter((change) => change.kind !== 'skip' && FORMATTED.has(extname(change.path)));
  if (targets.length === 0 || !existsSync(biome) || !existsSync(config)) return changes;

  const scratch = mkdtempSync(join(tmpdir(), 'bdk-format-'));
  try {
    copyFileSync(config, join(scratch, 'biome.json'));
    for (const change of targets) {
      if (change.kind === 'skip') continue;
      mkdirSync(dirname(join(scratch, change.path)), { recursive: true });
      writeFileSync(join(scratch, change.path), change.content);
    }
    const paths = targets.map((change) => change.path);
    const result = await runTool(biome, ['check', '--write', '--colors=off', '--no-errors-on-unmatched', ...paths], scratch);
    // Lint findings Biome cannot fix are left for `npm run lint` to report; a crash is not.
    if (result.code !== 0 && !/Found \d+ error/.test(result.output)) {
      throw new Error(`biome could not format the generated files: ${result.output.trim()}`);
    }
    const formatted = new Map(paths.map((path) => [path, readFileSync(join(scratch, path), 'utf8')]));
    return changes.map((change): Change => {
      const content = formatted.get(change.path);
      if (change.kind === 'skip' || content === undefined) return change;
      if ('previous' in change && change.previous === content) return { kind: 'skip', path: change.path, reason: 'unchanged' };
      return { ...change, content };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
