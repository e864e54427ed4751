// Checks the route and field generators share about a resource's fields and references.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceNames } from '../../src/naming/spellings.js';
import { type Database, databaseOf, MANIFEST, type Manifest, readManifest } from '../../src/project/manifest.js';
import { serviceProblem } from '../../src/project/service.js';
import { stringLength } from './field-rules.js';
import type { FieldType } from './field-types.js';
import { type FieldSpec, FieldSpecError, parseFields } from './fields.js';

export const schemaFile = (root: string, file: string) => join(root, 'src', 'db', 'schema', `${file}.ts`);

/** The resources a service has, for a message about one it has not. */
function resourcesOf(root: string): string {
  const names = Object.keys(readManifest(root).resources).sort();
  return names.length === 0 ? 'it has none yet' : `it has ${names.join(', ')}`;
}

/** Every `references(...)` field must point at a resource the service has, or at its own as an optional parent. */
export function referenceProblems(root: string, resource: string, fields: FieldSpec[]): string[] {
  return fields.flatMap((field) => {
    const parent = field.references?.resource;
    if (parent === undefined) return [];
    if (parent.plural.kebab === resource) {
      const errors = join(root, 'src', 'db', 'errors.ts');
      // PostgreSQL's errors.ts names the SQLSTATE CHECK_VIOLATION, SQLite's SQLITE_CONSTRAINT_CHECK, MySQL's errno 3819.
      if (existsSync(errors) && !/CHECK_VIOLATION|SQLITE_CONSTRAINT_CHECK|3819/.test(readFileSync(errors, 'utf8'))) {
        return [
          `"${field.token}": a row that points at itself is refused by a CHECK constraint, which src/db/errors.ts of an earlier version of backend-dev-kit does not report (it would be a 500). Copy src/db/errors.ts and src/services/errors.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>), keeping what you added, and run this again`,
        ];
      }
      return field.optional
        ? []
        : [
            `"${field.token}": a reference to the resource itself must be optional (${field.token.replace(/\)(.*)$/, ')?$1')}): the first row has nothing to point at`,
          ];
    }
    if (parent.plural.kebab === 'users' && readManifest(root).auth !== undefined) {
      return [
        `"${field.token}": users are auth's accounts, not a generated resource; to give each row the user who creates it, generate the resource with --owned`,
      ];
    }
    return existsSync(schemaFile(root, parent.plural.kebab))
      ? []
      : [
          `"${field.token}": there is no resource "${parent.plural.camel}" in this service (${resourcesOf(root)}); generate it first (npx plop route ${parent.plural.camel} "...")${parent.plural.kebab === 'users' ? ', or, for rows that belong to the signed-in user, add accounts with npx plop auth and generate this resource with --owned' : ''}`,
        ];
  });
}

/**
 * Why a generator that changes a generated resource cannot: `root` is not a service, the
 * resource is not there, or the manifest has no spec to tell its generated lines from hand
 * edits (`byHand` says what to do instead).
 */
export function generatedResourceProblem(root: string, resource: ResourceNames, byHand: string): string | undefined {
  const notAService = serviceProblem(root);
  if (notAService !== undefined) return notAService;
  const name = resource.plural.camel;
  if (!existsSync(schemaFile(root, resource.plural.kebab))) {
    return `there is no resource "${name}" in this service (${resourcesOf(root)}); create it with npx plop route ${name} "..."`;
  }
  if (readManifest(root).resources[name] === undefined) {
    return `${MANIFEST} has no field spec for "${name}", so its generated code cannot be told from hand edits; ${byHand}`;
  }
  return undefined;
}

export function fieldsProblem(value: string): string | undefined {
  try {
    parseFields(value);
    return undefined;
  } catch (error) {
    if (error instanceof FieldSpecError) return error.problems.join('; ');
    throw error;
  }
}

/**
 * What a resource of this version needs from the service's shared files that an earlier
 * version did not write. (Files a resource needs whole are written where missing.)
 */
export function olderServiceProblems(root: string): string[] {
  const problems: string[] = [];
  const errors = join(root, 'src', 'services', 'errors.ts');
  if (existsSync(errors) && !/export async function writing\b/.test(readFileSync(errors, 'utf8'))) {
    problems.push(
      [
        'src/services/errors.ts has no writing(), which the services of this version of backend-dev-kit use: an earlier version wrote it.',
        'To upgrade, copy src/db/errors.ts, src/services/errors.ts and src/plugins/errors.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>), keeping what you added to them;',
        "then, in each src/services/<plural>.ts, wrap each write in writing('<singular>', () => ...) instead of catching it with translateWriteError (or generate the resource again with --force),",
        'and run this again',
      ].join(' '),
    );
  }
  const keyset = join(root, 'src', 'db', 'keyset.ts');
  if (existsSync(keyset) && !/export function cursorValues\b/.test(readFileSync(keyset, 'utf8'))) {
    problems.push(
      'src/db/keyset.ts has the keyset() of an earlier version of backend-dev-kit, and the lists of this one pass it the cursor as placeholders, filled by cursorValues(), so that each shape of list is prepared once. ' +
        'To upgrade, copy src/db/keyset.ts and src/db/prepared.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>, then a route), generate each resource you have again (npx backend-dev-kit route <plural> --force merges your edits), and run this again',
    );
  }
  const prepared = join(root, 'src', 'db', 'prepared.ts');
  if (existsSync(prepared) && !/export function preparedShapes\b/.test(readFileSync(prepared, 'utf8'))) {
    problems.push(
      'src/db/prepared.ts has no preparedShapes(), with which the lists of this version of backend-dev-kit prepare each shape of list once: an earlier version wrote it. ' +
        'To upgrade, copy src/db/prepared.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>, then a route; it keeps nullablePlaceholder()), and run this again',
    );
  }
  const pagination = join(root, 'src', 'http', 'pagination.ts');
  if (existsSync(pagination) && !readFileSync(pagination, 'utf8').includes('MAX_CURSOR_LENGTH')) {
    problems.push(
      "src/http/pagination.ts is an earlier version's, which refuses cursors over 1,024 characters, and a page sorted by a long text field hands out longer ones (a resource of this version tests that). " +
        'To upgrade, copy src/http/pagination.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>, then a route), and run this again',
    );
  }
  const openapi = join(root, 'src', 'plugins', 'openapi.ts');
  if (existsSync(openapi) && !readFileSync(openapi, 'utf8').includes('// backend-dev-kit:openapi-tags')) {
    problems.push(
      'src/plugins/openapi.ts has no "// backend-dev-kit:openapi-tags" marker, where this version of backend-dev-kit describes each resource\'s operations: an earlier version wrote it. ' +
        'To upgrade, copy src/plugins/openapi.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>), add a tag for each resource you have at the marker, and run this again',
    );
  }
  const seed = join(root, 'scripts', 'seed.ts');
  if (existsSync(seed) && !readFileSync(seed, 'utf8').includes('async function seed(create: () => Promise<unknown>)')) {
    problems.push(
      'scripts/seed.ts has the seed() of an earlier version of backend-dev-kit, and this one registers each resource as `await seed(() => createComplete<Name>(app))`. ' +
        'To upgrade, copy scripts/seed.ts from a service this version writes (npx backend-dev-kit service <scratch-dir>, then a route), keep its import and seed lines for each resource you have, written that way, and run this again',
    );
  }
  return problems;
}

/** `score:integer:index` -> `score:integer?:index`: `?` goes right after the type. */
function asOptional(token: string): string {
  const [name = '', type = '', ...modifiers] = (token.split('=')[0] ?? '').split(':');
  return [`${name}:${type}?`, ...modifiers].join(':');
}

/**
 * A column added to a table that may hold rows needs a value for those rows: a default,
 * or NULL. Anything else would fail on a non-empty table, so it is refused here.
 */
export function existingRowsProblem(field: FieldSpec): string | undefined {
  if (field.unique && !field.optional) {
    return `"${field.token}": a new unique field must be optional (${asOptional(field.token)}): existing rows would all get the same value`;
  }
  if (!field.optional && field.defaultValue === undefined) {
    return `"${field.token}": the table may already have rows, which would have no ${field.name}; give it a default (${field.token}=<value>) or make it optional (${asOptional(field.token)})`;
  }
  return undefined;
}

/**
 * A resource generated again over its table (--force) may change its fields only as `field`
 * and `destroy field` would: a field left out would drop its column with the data in it,
 * and a new one needs a value for the rows already stored.
 */
export function regenerationProblems(manifest: Manifest, resource: string, fields: FieldSpec[]): string[] {
  const before = manifest.resources[resource];
  if (before === undefined) return [];
  const previous = new Map(parseFields(before).map((field) => [field.name, field]));
  const kept = new Set(fields.map((field) => field.name));
  const dropped = [...previous.keys()].filter((name) => !kept.has(name));
  return [
    ...fields.flatMap((field) => {
      const was = previous.get(field.name);
      return was === undefined ? [] : changedFieldProblems(was, field);
    }),
    ...(dropped.length === 0
      ? []
      : [
          `generating ${resource} again without ${dropped.join(', ')} would drop ${dropped.length === 1 ? 'its column' : 'their columns'} and the data in ${dropped.length === 1 ? 'it' : 'them'}: list every field it has (${before}), or take ${dropped.length === 1 ? 'it' : 'them'} out with npx plop destroy field ${resource} "${dropped.join(' ')}"`,
        ]),
    ...fields.filter((field) => !previous.has(field.name)).flatMap((field) => existingRowsProblem(field) ?? []),
  ];
}

// A string's column has its length even without a max.
const effectiveMax = (field: FieldSpec): number | undefined =>
  field.rules.max !== undefined ? Number(field.rules.max) : stringLength(field.type, field.rules);

/** What stored rows may not survive when an existing field is generated again as `field`. */
function changedFieldProblems(was: FieldSpec, field: FieldSpec): string[] {
  const problems: string[] = [];
  const failing = 'stored rows may break it, and the migration would fail on them';
  if (was.optional && !field.optional) {
    problems.push(
      `"${field.token}": ${field.name} was optional, so rows may have none, and making it required would fail on them; keep it optional, or fill it in first with a custom migration (npx plop migration <name> -- --custom) and then make it required`,
    );
  }
  // A string's min of 1 is no constraint in the database: the schema trims and refuses an empty one.
  const min = field.rules.min === undefined ? undefined : Number(field.rules.min);
  const wasMin = was.rules.min === undefined ? (field.type === 'string' ? 1 : undefined) : Number(was.rules.min);
  if (min !== undefined && (wasMin === undefined || min > wasMin)) {
    problems.push(`"${field.token}": a min above the one before (${was.rules.min ?? 'none'}): ${failing}`);
  }
  const max = effectiveMax(field);
  const wasMax = effectiveMax(was);
  if (max !== undefined && (wasMax === undefined || max < wasMax)) {
    problems.push(`"${field.token}": a max below the one before (${wasMax ?? 'none'}): ${failing}`);
  }
  return problems;
}

/**
 * MySQL and SQLite store an enum as the position of its value (src/db/columns.ts), so a
 * resource generated again may only add values at the end: reordering or removing one would
 * have the rows already stored read as another value.
 */
export function positionalEnumProblems(manifest: Manifest, resource: string, fields: FieldSpec[]): string[] {
  const before = manifest.resources[resource];
  const database = databaseOf(manifest);
  if (database === 'postgres' || before === undefined) return [];
  const old = new Map(parseFields(before).map((field) => [field.name, field]));
  return fields.flatMap((field) => {
    const previous = old.get(field.name);
    if (field.type !== 'enum' || previous?.type !== 'enum') return [];
    const kept = previous.enumValues.every((value, i) => field.enumValues[i] === value);
    return kept
      ? []
      : [
          `"${field.token}": on ${database === 'mysql' ? 'MySQL' : 'SQLite'} an enum stores each value's position, so values can only be added at the end (${previous.enumValues.join(',')} -> ${[...previous.enumValues, 'new'].join(',')}); reordering or removing one would turn the stored rows into other values. Add at the end, or destroy the field and add it again`,
        ];
  });
}

/**
 * What MySQL cannot index of the fields: a text or url field (MySQL indexes text only up to
 * a length, and would compare two values by their first characters). `indexed` says which
 * fields are to be indexed; by default those marked :unique or :index.
 */
export function mysqlKeyProblems(
  database: Database,
  fields: FieldSpec[],
  indexed = (field: FieldSpec) => field.unique || field.index,
): string[] {
  if (database !== 'mysql') return [];
  return fields
    .filter((field) => indexed(field) && (field.type === 'text' || field.type === 'url'))
    .map(
      (field) =>
        `"${field.token}": MySQL cannot index a ${field.type} field (it indexes text only up to a length); make it a string (up to 255 characters), or leave it unindexed`,
    );
}

// MySQL refuses a table, index or constraint name longer than this; PostgreSQL cuts it short.
const MYSQL_LONGEST_NAME = 64;

/**
 * The names MySQL would refuse, as the migration ran: the table's, and those drizzle-kit and
 * the generators give its indexes and constraints (a foreign key's names its table, column
 * and parent table). Each is named, with what to shorten.
 */
export function mysqlNameProblems(database: Database, table: string, fields: FieldSpec[], owned: boolean): string[] {
  if (database !== 'mysql') return [];
  const tooLong = (name: string) => name.length > MYSQL_LONGEST_NAME;
  // The table's own index, on its owner too where rows have one.
  const tableIndex = owned ? `${table}_owner_id_created_at_id_idx` : `${table}_created_at_id_idx`;
  if (tooLong(tableIndex)) {
    return [
      `"${table}": MySQL names are at most ${MYSQL_LONGEST_NAME} characters, and ${tableIndex} (${tableIndex.length}) would be longer; name the resource shorter`,
    ];
  }
  return fields.flatMap((field) => {
    const parent = field.references?.resource.plural.snake;
    const names = [
      field.unique ? `${table}_${field.column}_unique` : `${table}_${field.column}_idx`,
      ...(field.type === 'enum' || Object.keys(field.rules).length > 0 ? [`${table}_${field.column}_check`] : []),
      ...(parent === table ? [`${table}_${field.column}_not_self`] : []),
      ...(parent === undefined ? [] : [`${table}_${field.column}_${parent}_id_fk`]),
    ];
    const longest = names.reduce((a, b) => (b.length > a.length ? b : a));
    return tooLong(longest)
      ? [
          `"${field.token}": MySQL names are at most ${MYSQL_LONGEST_NAME} characters, and ${longest} (${longest.length}) would be longer; name the field or the resource shorter`,
        ]
      : [];
  });
}

// InnoDB keys hold at most 3,072 bytes; utf8mb4 counts 4 a character.
const MYSQL_LONGEST_KEY = 3072;
const MYSQL_KEY_BYTES: Record<FieldType, number> = {
  string: 255 * 4,
  text: Number.POSITIVE_INFINITY,
  email: 320 * 4,
  url: Number.POSITIVE_INFINITY,
  integer: 4,
  bigint: 8,
  number: 8,
  decimal: 6,
  boolean: 1,
  date: 3,
  datetime: 7,
  uuid: 36 * 4,
  json: Number.POSITIVE_INFINITY,
  enum: 2,
  references: 36 * 4,
};

/**
 * An index on `columns` (the owner's, createdAt and updatedAt among them, or `fields`)
 * that MySQL cannot hold: more than 3,072 bytes of key, which its migration would fail on.
 */
export function mysqlKeyLengthProblem(
  database: Database,
  on: string,
  columns: string[],
  fields: FieldSpec[],
): string | undefined {
  if (database !== 'mysql') return undefined;
  const bytesOf = (column: string): number => {
    const field = fields.find((candidate) => candidate.name === column);
    // Not a field: the owner's id, or createdAt or updatedAt.
    if (field === undefined) return column === 'ownerId' ? MYSQL_KEY_BYTES.uuid : MYSQL_KEY_BYTES.datetime;
    const length = stringLength(field.type, field.rules);
    return length === undefined ? MYSQL_KEY_BYTES[field.type] : length * 4;
  };
  const bytes = columns.reduce((sum, column) => sum + bytesOf(column), 0);
  return bytes > MYSQL_LONGEST_KEY
    ? `"${on}": MySQL keys hold at most ${MYSQL_LONGEST_KEY} bytes, and these fields can take ${bytes} (a string takes 4 bytes a character, an email 1,280); index fewer fields, or give a string a lower max=`
    : undefined;
}
