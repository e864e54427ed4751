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
export async function generateMigration(root: string, name: string, options: { allowNoChange: boolean }): Promise<string[]> {
  const before = sqlFiles(root);
  const output = await runTool(drizzleKitPath(root), ['generate', '--name', name], root);
  const created = [...sqlFiles(root)].filter((file) => !before.has(file)).map((file) => `${MIGRATIONS_DIR}/${file}`);
  if (created.length > 0 && output.code === 0) return created;
  if (created.length === 0 && output.code === 0 && options.allowNoChange && /No schema changes/i.test(output.output)) {
    return [];
  }
  const said = output.output.replace(/\x1b\[[0-9;]*m/g, '').trim();
  if (/rename|renamed|created or renamed/i.test(said)) {
    throw new Error(
      'drizzle-kit needs to ask whether a column or table was renamed, and cannot without a terminal. ' +
        'Make the change in two steps (add the new one, migrate, then remove the old one), or run `npm run db:generate` in a terminal.',
    );
  }
  throw new Error(`drizzle-kit generate wrote no migration (exit ${output.code}): ${said || 'no output'}`);
}
