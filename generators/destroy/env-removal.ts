// `destroy env <NAME>`: the lines the env generator wrote for a variable, found by its name
// (the generator records no more), taken out of each file it wrote them into.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PlanError } from '../../src/engine/plan.js';
import type { Placed } from '../../src/engine/templates.js';
import { ENV_FILE } from '../env/index.js';

/** Lines `from` to `to` (inclusive) taken out. */
const without = (lines: string[], from: number, to: number) => [...lines.slice(0, from), ...lines.slice(to + 1)];

/** The declaration `NAME: z....,` (Biome may have wrapped it) and its description comment. */
function schemaWithout(content: string, name: string): string | undefined {
  const lines = content.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(`${name}: `));
  if (start === -1) return undefined;
  let depth = 0;
  let end = start;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    depth += (line.match(/[([{]/g) ?? []).length - (line.match(/[)\]}]/g) ?? []).length;
    if (depth <= 0 && line.trimEnd().endsWith(',')) break;
  }
  const first = lines[start - 1]?.trimStart().startsWith('//') === true ? start - 1 : start;
  const stripped = without(lines, first, end);
  const secret = stripped.findIndex((line) => line.trim() === `'${name}',`);
  return (secret === -1 ? stripped : without(stripped, secret, secret)).join('\n');
}

/** `NAME=value` in .env.example, its comment, and the blank line the generator put before them. */
function exampleWithout(content: string, name: string): string | undefined {
  const lines = content.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`${name}=`));
  if (at === -1) return undefined;
  let first = lines[at - 1]?.startsWith('#') === true ? at - 1 : at;
  if (first > 0 && lines[first - 1] === '') first -= 1;
  return without(lines, first, at).join('\n');
}

const lineWithout = (content: string, match: (line: string) => boolean): string | undefined => {
  const lines = content.split('\n');
  const at = lines.findIndex(match);
  return at === -1 ? undefined : without(lines, at, at).join('\n');
};

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The variable's lines out of the service's files; refused while code uses it. */
export function envRemoved(root: string, name: string): Placed[] {
  const read = (path: string) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
  const schema = schemaWithout(read(ENV_FILE) ?? '', name);
  if (schema === undefined) throw new PlanError([`src/config/env.ts declares no variable ${name}`]);
  const declaring = new Set([ENV_FILE, join('test', 'helpers.ts')]);
  const users = ['src', 'test', 'scripts']
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .map((file) => relative(root, file))
    .filter((path) => !declaring.has(path) && new RegExp(`\\b${name}\\b`).test(read(path) ?? ''));
  if (users.length > 0) {
    throw new PlanError([
      `${name} is used in ${users.join(', ')}; take those uses out first (a variable every service has cannot be removed)`,
    ]);
  }
  const replaced: Placed[] = [{ source: 'destroy', action: 'replace', path: ENV_FILE, content: schema }];
  const others: [string, (content: string) => string | undefined][] = [
    ['.env.example', (content) => exampleWithout(content, name)],
    ['README.md', (content) => lineWithout(content, (line) => line.startsWith(`- \`${name}\` (`))],
    [join('test', 'helpers.ts'), (content) => lineWithout(content, (line) => line.trimStart().startsWith(`${name}: `))],
  ];
  for (const [path, remove] of others) {
    const content = read(path);
    const changed = content === undefined ? undefined : remove(content);
    if (changed !== undefined) replaced.push({ source: 'destroy', action: 'replace', path, content: changed });
  }
  return replaced;
}
