import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** A new folder in the system's temporary folder holding `files` (path -> content). */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bdk-tree-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const IGNORED = new Set(['node_modules', '.data', 'dist']);

/** Every file of a project (but installed and built ones) with a hash of its bytes. */
export function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (IGNORED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return files;
}

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(root, join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * `file: name` for each value a module under src/ exports that no other file of src/,
 * scripts/ or test/ mentions: code a reviewer would strike. Types are left out, since an
 * exported function's options interface is exported for its callers whether or not one names it.
 */
export function unusedExports(root: string): string[] {
  const files = ['src', 'scripts', 'test'].flatMap((dir) =>
    existsSync(join(root, dir)) ? sourceFiles(root, dir) : [],
  );
  const texts = new Map(files.map((file) => [file, readFileSync(join(root, file), 'utf8')]));
  return files
    .filter((file) => file.startsWith('src'))
    .flatMap((file) =>
      [...(texts.get(file) ?? '').matchAll(/^export (?:async )?(?:const|let|function|class) (\w+)/gm)].flatMap(
        ([, name = '']) => {
          const word = new RegExp(`\\b${name}\\b`);
          const used = files.some((other) => other !== file && word.test(texts.get(other) ?? ''));
          return used ? [] : [`${file}: ${name}`];
        },
      ),
    );
}
