import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Change } from './plan.js';

const FORMATTED = new Set(['.ts', '.js', '.mjs', '.cjs', '.json']);

/**
 * Passes every written TypeScript, JavaScript and JSON file through the project's own
 * Biome (format, then sort imports), so generated code is what `npm run lint` expects
 * even where a template's lines depend on the answers. A project without Biome
 * installed is left as rendered.
 */
export async function formatChanges(changes: Change[], root: string): Promise<Change[]> {
  const biome = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return changes;
  return Promise.all(
    changes.map(async (change) => {
      if (change.kind === 'skip' || !FORMATTED.has(extname(change.path))) return change;
      const content = await runBiome(biome, root, change.path, change.content);
      return content === change.content ? change : { ...change, content };
    }),
  ).then((formatted) =>
    formatted.map((change) =>
      change.kind !== 'skip' && 'previous' in change && change.previous === change.content
        ? { kind: 'skip' as const, path: change.path, reason: 'unchanged' }
        : change,
    ),
  );
}

function runBiome(biome: string, root: string, path: string, content: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(biome, ['check', '--write', '--colors=off', `--stdin-file-path=${path}`], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      // Biome prints the (fixed) file on stdout; lint findings it cannot fix do not stop the write.
      const formatted = Buffer.concat(out).toString('utf8');
      if (formatted.length > 0) resolve(formatted);
      else reject(new Error(`biome could not format ${path} (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.end(content);
  });
}
