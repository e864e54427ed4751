import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { runTool } from './child-process.js';
import { type Change, writesContent } from './plan.js';
import { claimScratchFolder } from './scratch-folder.js';

const FORMATTED = new Set(['.ts', '.js', '.mjs', '.cjs', '.json']);

/**
 * The project's Biome executable. `node_modules/.bin/biome` is a node script that probes
 * the C library with `ldd` and then starts this same executable: ~0.15 s of the ~0.2 s a
 * format takes, and CPU that drizzle-kit, running alongside, is waiting for. npm installs
 * only the platform package that fits the machine, so the first one found is the one.
 */
function biomeExecutable(root: string): string | undefined {
  const launcher = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(launcher)) return undefined;
  const require = createRequire(join(root, 'node_modules', '@biomejs', 'biome', 'package.json'));
  const file = process.platform === 'win32' ? 'biome.exe' : 'biome';
  for (const libc of ['', '-musl']) {
    try {
      return require.resolve(`@biomejs/cli-${process.platform}-${process.arch}${libc}/${file}`);
    } catch {
      // Not this platform package; the launcher knows every other case.
    }
  }
  return launcher;
}

/**
 * Formats files the way the project's own Biome would (format, then sort imports), in a
 * scratch copy with the project's biome.json and one Biome process, so nothing is
 * written. Files Biome does not handle, and every file of a project without Biome
 * installed, come back as given.
 */
export async function formatFiles(files: Map<string, string>, root: string): Promise<Map<string, string>> {
  const biome = biomeExecutable(root);
  const config = join(root, 'biome.json');
  const paths = [...files.keys()].filter((path) => FORMATTED.has(extname(path)));
  if (paths.length === 0 || biome === undefined || !existsSync(config)) return files;

  // A slot of its own for the project, cleared if a killed run left it, never a folder left behind.
  const folder = claimScratchFolder(root, 'bdk-format-');
  const scratch = folder.path;
  try {
    copyFileSync(config, join(scratch, 'biome.json'));
    for (const path of paths) {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), files.get(path) ?? '');
    }
    const result = await runTool(
      biome,
      ['check', '--write', '--colors=off', '--no-errors-on-unmatched', ...paths],
      scratch,
    );
    // Lint findings Biome cannot fix are left for `npm run lint` to report; a crash is not.
    if (result.code !== 0 && !/Found \d+ error/.test(result.output)) {
      throw new Error(`biome could not format the generated files: ${result.output.trim()}`);
    }
    const formatted = new Map(files);
    for (const path of paths) formatted.set(path, readFileSync(join(scratch, path), 'utf8'));
    return formatted;
  } finally {
    folder.release();
  }
}

/** Formats the content of every planned change; a change that formats to what is on disk becomes a skip. */
export async function formatChanges(changes: Change[], root: string): Promise<Change[]> {
  const written = new Map(changes.flatMap((change) => (writesContent(change) ? [[change.path, change.content]] : [])));
  const formatted = await formatFiles(written, root);
  return changes.map((change): Change => {
    const content = formatted.get(change.path);
    if (!writesContent(change) || content === undefined) return change;
    if ('previous' in change && change.previous === content)
      return { kind: 'skip', path: change.path, reason: 'unchanged' };
    return { ...change, content };
  });
}
