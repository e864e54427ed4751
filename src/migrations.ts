import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './child-process.js';

export const MIGRATIONS_DIR = 'drizzle';

export const drizzleKitPath = (root: string): string => join(root, 'node_modules', '.bin', 'drizzle-kit');

export const drizzleKitMissing = (root: string): string =>
  `drizzle-kit is not installed in ${root}; run npm install first`;

const sqlFiles = (root: string): Set<string> => {
  const dir = join(root, MIGRATIONS_DIR);
  return new Set(existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.sql')) : []);
};

/**
 * Runs `drizzle-kit generate` and returns the migration files it wrote. drizzle-kit exits 0
 * even when it writes nothing (a rename it cannot ask about, a schema file that throws),
 * so success is judged by the new .sql file, never by the exit code alone.
 */
export async function generateMigration(
  root: string,
  name: string,
  options: { allowNoChange: boolean; custom?: boolean },
): Promise<string[]> {
  const before = sqlFiles(root);
  const args = ['generate', '--name', name, ...(options.custom === true ? ['--custom'] : [])];
  const output = await runTool(drizzleKitPath(root), args, root);
  const created = [...sqlFiles(root)].filter((file) => !before.has(file)).map((file) => `${MIGRATIONS_DIR}/${file}`);
  if (created.length > 0 && output.code === 0) return created;
  if (created.length === 0 && output.code === 0 && options.allowNoChange && /No schema changes/i.test(output.output)) {
    return [];
  }
  const said = output.output.replace(/\x1b\[[0-9;]*m/g, '').trim();
  // drizzle-kit asks "created or renamed?" for a column or table it cannot match up.
  if (/renamed|Interactive prompts require a TTY|Conflicts/i.test(said)) {
    throw new Error(
      'drizzle-kit needs to ask whether a column or table was renamed, and cannot without a terminal. ' +
        'Make the change in two steps (add the new one, migrate, then remove the old one), or run `npm run db:generate` in a terminal.',
    );
  }
  if (/No schema changes/i.test(said)) {
    throw new Error(
      'nothing to migrate: src/db/schema matches the last migration. Change the schema first, or pass --custom for an empty SQL migration to write by hand (data migrations)',
    );
  }
  throw new Error(`drizzle-kit generate wrote no migration (exit ${output.code}): ${said || 'no output'}`);
}
