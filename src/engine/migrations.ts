import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { runTool } from './child-process.js';
import { type Change, writesContent } from './plan.js';
import { claimScratchFolder } from './scratch-folder.js';
import { copyExistingColumnsOnly } from './sqlite-rebuild.js';

export const MIGRATIONS_DIR = 'drizzle';

/** The next step of every generator that writes a migration. */
export const MIGRATE_STEP =
  'npm run db:migrate (where the service does not migrate as it starts: on a PostgreSQL or MySQL server, or with DB_MIGRATE_ON_START=false)';

export const drizzleKitPath = (root: string): string => join(root, 'node_modules', '.bin', 'drizzle-kit');

export const drizzleKitMissing = (root: string): string =>
  `drizzle-kit is not installed in ${root}; run npm install first`;

/** Where a service's tables are declared: what drizzle-kit reads. */
export const SCHEMA_DIR = 'src/db/schema/';

/** What a generator asks drizzle-kit for after its files are in place. */
export interface MigrationRequest {
  name: string;
  /** An empty SQL file to fill in by hand, instead of a diff of the schema. */
  custom?: boolean;
  /** A schema that matches the last migration is fine (a forced re-run of the same spec). */
  allowNoChange: boolean;
}

function files(dir: string, root: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) for (const [key, value] of files(path, root)) found.set(key, value);
    else found.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
  }
  return found;
}

/**
 * drizzle-kit drops a PostgreSQL table with CASCADE, which also drops, without a word, every
 * view and hand-written constraint that uses it. Without it the migration stops, naming
 * them, and the user decides. (A table another resource refers to is refused earlier.)
 */
const withoutCascade = (sql: string): string => sql.replace(/^(DROP TABLE (?:"[^"]+"\.)?"[^"]+") CASCADE;/gm, '$1;');

/**
 * Runs `drizzle-kit generate` and returns what it wrote: the migration, its snapshot and
 * the journal. drizzle-kit exits 0 even when it writes nothing (a rename it cannot ask
 * about, a schema file that throws), so success is judged by the new .sql file, never
 * by the exit code alone.
 */
async function generateMigration(root: string, request: MigrationRequest): Promise<Change[]> {
  const before = files(join(root, MIGRATIONS_DIR), root);
  const args = ['generate', '--name', request.name, ...(request.custom === true ? ['--custom'] : [])];
  const output = await runTool(drizzleKitPath(root), args, root);
  const after = files(join(root, MIGRATIONS_DIR), root);
  const lastSnapshot = [...before.keys()]
    .filter((path) => path.endsWith('_snapshot.json'))
    .sort()
    .at(-1);
  const changes: Change[] = [];
  for (const [path, written] of after) {
    const previous = before.get(path);
    const content =
      previous === undefined && path.endsWith('.sql')
        ? withoutCascade(
            copyExistingColumnsOnly(written, lastSnapshot === undefined ? undefined : before.get(lastSnapshot)),
          )
        : written;
    // drizzle-kit ends a --custom file on its comment line, where an appended statement would land.
    const ended = path.endsWith('.sql') && !content.endsWith('\n') ? `${content}\n` : content;
    if (previous === undefined) changes.push({ kind: 'create', path, content: ended });
    else if (previous !== content) changes.push({ kind: 'modify', path, content, previous });
  }
  const wroteSql = changes.some((change) => change.kind === 'create' && change.path.endsWith('.sql'));
  if (wroteSql && output.code === 0) return changes.sort((a, b) => a.path.localeCompare(b.path));

  const said = stripVTControlCharacters(output.output).trim();
  const noChange = /No schema changes/i.test(said);
  if (noChange && output.code === 0 && request.allowNoChange) return [];
  // drizzle-kit asks "created or renamed?" for a column or table it cannot match up.
  if (/renamed|Interactive prompts require a TTY|Conflicts/i.test(said)) {
    throw new Error(
      'drizzle-kit needs to ask whether a column or table was renamed, and cannot without a terminal. ' +
        'Make the change in two steps (add the new one, migrate, then remove the old one), or run `npm run db:generate` in a terminal.',
    );
  }
  if (noChange) {
    throw new Error(
      'nothing to migrate: src/db/schema matches the last migration. Change the schema first, or pass --custom for an empty SQL migration to write by hand (data migrations)',
    );
  }
  throw new Error(`drizzle-kit generate wrote no migration (exit ${output.code}): ${said || 'no output'}`);
}

/**
 * The migration history drizzle-kit works from: its journal, which numbers the next
 * migration, and the newest snapshot (the last by name, as drizzle-kit picks it, of the
 * `*_snapshot.json` files only: drizzle-kit would take any other file there for one), the
 * schema the next migration is a diff from. The older snapshots are left out: drizzle-kit
 * parses every one it finds, which grew with the history (54 ms of a 0.55 s run at 24
 * migrations), and none of them changes what it writes.
 */
function migrationHistory(root: string): string[] {
  const meta = join(MIGRATIONS_DIR, 'meta');
  if (!existsSync(join(root, meta))) return [];
  const names = readdirSync(join(root, meta));
  const newestSnapshot = names
    .filter((name) => name.endsWith('_snapshot.json'))
    .sort()
    .at(-1);
  const history = names.includes('_journal.json') ? ['_journal.json'] : [];
  if (newestSnapshot !== undefined) history.push(newestSnapshot);
  return history.map((name) => join(meta, name));
}

/**
 * What drizzle-kit writes once `changes` are applied, found by running it on a scratch
 * copy of the project's sources and migration history: the files it wrote come back as
 * changes, for a dry run to report and a real run to write with the rest, and a failure
 * leaves the project untouched.
 */
export async function previewMigration(root: string, changes: Change[], request: MigrationRequest): Promise<Change[]> {
  const folder = claimScratchFolder(root, 'bdk-migration-');
  const scratch = folder.path;
  try {
    for (const path of ['drizzle.config.ts', 'package.json', 'tsconfig.json', 'src', ...migrationHistory(root)]) {
      if (existsSync(join(root, path))) cpSync(join(root, path), join(scratch, path), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    for (const change of changes) {
      if (!change.path.startsWith('src/')) continue;
      if (change.kind === 'delete') rmSync(join(scratch, change.path));
      if (!writesContent(change)) continue;
      mkdirSync(dirname(join(scratch, change.path)), { recursive: true });
      writeFileSync(join(scratch, change.path), change.content);
    }
    return await generateMigration(scratch, request);
  } finally {
    folder.release();
  }
}
