import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Placed } from '../engine/templates.js';

/**
 * backend-dev-kit.json, at a service's root, records the field spec of every generated
 * resource: `plop field` needs the spec a resource was generated from to tell the
 * generated lines from the ones a developer wrote.
 */
export const MANIFEST = 'backend-dev-kit.json';

/** The databases a service can be generated for (`service --db`). */
export const DATABASES = ['postgres', 'mysql', 'sqlite'] as const;
export type Database = (typeof DATABASES)[number];

export interface Manifest {
  $comment?: string;
  /** What `service --db` chose; a service from before there was a choice is PostgreSQL. */
  database?: Database;
  resources: Record<string, string>;
  /** Written by `auth`, and grown by `api-keys` and `auth-provider`. */
  auth?: AuthSpec;
  /** Each resource's access rules, as given to route or access; a resource without one needs a signed-in user. */
  access?: Record<string, string>;
  /** The resources whose rows have owners (route --owned). */
  owned?: string[];
  /** Each resource's custom actions (the action generator), by name, as given. */
  actions?: Record<string, Record<string, { method: string; body?: string; sets?: string; when?: string }>>;
  /** Each resource's indexes beyond its fields' own (the index generator), as given. */
  indexes?: Record<string, { on: string; unique: boolean }[]>;
}

/** What auth was generated with: what its files are rendered from again when it grows. */
export interface AuthSpec {
  /** The roles a user may have; the first is a new user's. */
  roles: string[];
  /** The environment variable holding the access tokens' signing secret. */
  secret?: string;
  /** Written by `api-keys`: keys start with `<prefix>_`. */
  apiKeys?: { prefix: string };
  /** Written by `auth-provider`: each OpenID Connect provider users may sign in with, by name. */
  providers?: Record<string, { issuer: string }>;
}

export function readManifest(root: string): Manifest {
  const file = join(root, MANIFEST);
  if (!existsSync(file)) return { resources: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
  return { ...parsed, resources: parsed.resources ?? {} };
}

/** The database the service's code is written for. */
export const databaseOf = (manifest: Manifest): Database => manifest.database ?? 'postgres';

/** drizzle-kit's name for each database's SQL (drizzle.config.ts, the migrations' journal). */
const DIALECTS: Record<Database, string> = { postgres: 'postgresql', mysql: 'mysql', sqlite: 'sqlite' };

/**
 * The template context's view of the database: `{{#if db.sqlite}}`, `when: db.postgres`;
 * `db.embedded` where the database can live in the service's own files (PGlite, SQLite), and
 * `db.dialect`, drizzle-kit's name for it.
 */
export const databaseContext = (database: Database) => ({
  ...(Object.fromEntries(DATABASES.map((name) => [name, name === database])) as Record<Database, boolean>),
  embedded: database !== 'mysql',
  dialect: DIALECTS[database],
});

/** The record with its keys in order, as the manifest and package.json keep them. */
export const sortedByKey = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** The manifest as changed by `change`, as a file for the plan. */
export function manifestChanged(root: string, change: (manifest: Manifest) => Manifest): Placed {
  const { access, owned, actions, indexes, ...changed } = change(readManifest(root));
  const withIndexes = Object.entries(indexes ?? {}).filter(([, list]) => list.length > 0);
  const withActions = Object.entries(actions ?? {}).filter(([, named]) => Object.keys(named).length > 0);
  const manifest: Manifest = {
    ...changed,
    resources: sortedByKey(changed.resources),
    ...(access === undefined || Object.keys(access).length === 0 ? {} : { access: sortedByKey(access) }),
    ...(owned === undefined || owned.length === 0 ? {} : { owned: [...owned].sort() }),
    ...(withActions.length === 0
      ? {}
      : { actions: Object.fromEntries(withActions.sort(([a], [b]) => a.localeCompare(b))) }),
    ...(withIndexes.length === 0
      ? {}
      : { indexes: Object.fromEntries(withIndexes.sort(([a], [b]) => a.localeCompare(b))) }),
  };
  return { source: 'manifest', action: 'replace', path: MANIFEST, content: `${JSON.stringify(manifest, null, 2)}\n` };
}

/** A record with `key` set to `value`, or left out when `value` is undefined. */
export function withEntry(
  record: Record<string, string> | undefined,
  key: string,
  value: string | undefined,
): Record<string, string> {
  const { [key]: _replaced, ...rest } = record ?? {};
  return value === undefined ? rest : { ...rest, [key]: value };
}
