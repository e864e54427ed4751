// What each field type is stored as, on each database a service can be generated for: the
// drizzle column and what it is built from. The rest of a type (its zod schemas, samples and
// defaults as values) is the same everywhere and lives in field-types.ts.

import type { Database } from '../../src/project/manifest.js';
import type { FieldType } from './field-types.js';

export interface ColumnRules {
  /** Builders from drizzle's core module for the database (`drizzle-orm/pg-core`, ...). */
  imports: string[];
  /** Builders from the service's own src/db/columns.ts. */
  helpers?: string[];
  /** The column builder, before modifiers; `column` is the SQL column name. */
  column: (column: string, enumName: string) => string;
  /**
   * A default as the column's SQL default, where the database stores a value otherwise than
   * the API writes it (`literal` is the default's code as a value, like `'12.50'`).
   */
  stored?: (literal: string, enumName: string) => string;
}

/** Each database's builders for the columns every table has, and how it spells what differs. */
export interface TableRules {
  /** The module drizzle's builders for this database come from. */
  core: string;
  /** The table builder. */
  table: string;
  /** The column type a table's reference to itself is spelled with. */
  anyColumn: string;
  /** What the id, createdAt and updatedAt columns are built from: core builders and own helpers. */
  imports: string[];
  helpers: string[];
  /** The modifier for a default of the time now, and of a random UUID. */
  defaultNow: string;
  defaultRandom: string;
  /** The SQL function for the length of a text in characters. */
  length: string;
  /** An enum type of the database's own (PostgreSQL), or a helper that stores positions. */
  enumDeclaration: (name: string, sqlName: string, values: string) => string;
}

export const TABLE_RULES: Record<Database, TableRules> = {
  postgres: {
    core: 'drizzle-orm/pg-core',
    table: 'pgTable',
    anyColumn: 'AnyPgColumn',
    imports: ['index', 'pgTable', 'timestamp', 'uuid'],
    helpers: [],
    defaultNow: '.defaultNow()',
    defaultRandom: '.defaultRandom()',
    length: 'char_length',
    enumDeclaration: (name, sqlName, values) => `export const ${name} = pgEnum('${sqlName}', [${values}]);`,
  },
  mysql: {
    core: 'drizzle-orm/mysql-core',
    table: 'mysqlTable',
    anyColumn: 'AnyMySqlColumn',
    imports: ['index', 'mysqlTable'],
    helpers: ['dateTime', 'nowMs', 'uuid', 'writtenMs'],
    defaultNow: '.default(nowMs)',
    defaultRandom: '.$defaultFn(uuid.random)',
    length: 'char_length',
    enumDeclaration: (name, _sqlName, values) => `export const ${name} = enumOf([${values}]);`,
  },
  sqlite: {
    core: 'drizzle-orm/sqlite-core',
    table: 'sqliteTable',
    anyColumn: 'AnySQLiteColumn',
    imports: ['index', 'sqliteTable'],
    helpers: ['dateTime', 'nowMs', 'uuid'],
    defaultNow: '.default(nowMs)',
    defaultRandom: '.default(uuid.random)',
    length: 'length',
    enumDeclaration: (name, _sqlName, values) => `export const ${name} = enumOf([${values}]);`,
  },
};

const postgres: Record<FieldType, ColumnRules> = {
  string: { imports: ['varchar'], column: (column) => `varchar('${column}', { length: 255 })` },
  text: { imports: ['text'], column: (column) => `text('${column}')` },
  email: { imports: ['varchar'], column: (column) => `varchar('${column}', { length: 320 })` },
  url: { imports: ['text'], column: (column) => `text('${column}')` },
  integer: { imports: ['integer'], column: (column) => `integer('${column}')` },
  // mode 'number': JSON has no 64-bit integers; the API takes and returns safe integers.
  bigint: { imports: ['bigint'], column: (column) => `bigint('${column}', { mode: 'number' })` },
  number: { imports: ['doublePrecision'], column: (column) => `doublePrecision('${column}')` },
  // Exact decimals travel as strings: a JSON number would round them.
  decimal: { imports: ['numeric'], column: (column) => `numeric('${column}', { precision: 12, scale: 2 })` },
  boolean: { imports: ['boolean'], column: (column) => `boolean('${column}')` },
  date: { imports: ['date'], column: (column) => `date('${column}')` },
  // Millisecond precision, like a JavaScript Date, so a cursor holds the exact value.
  datetime: {
    imports: ['timestamp'],
    column: (column) => `timestamp('${column}', { withTimezone: true, precision: 3 })`,
  },
  uuid: { imports: ['uuid'], column: (column) => `uuid('${column}')` },
  json: { imports: ['jsonb'], column: (column) => `jsonb('${column}')` },
  enum: { imports: ['pgEnum'], column: (column, enumName) => `${enumName}('${column}')` },
  references: { imports: ['uuid'], column: (column) => `uuid('${column}')` },
};

// MySQL has no uuid type, keeps a date-time in the connection's time zone, and compares an
// ENUM as text while sorting it by position: src/db/columns.ts holds ids as text, date-times
// in UTC, and enums as positions, as on SQLite, so a keyset cursor compares as it sorts.
const mysql: Record<FieldType, ColumnRules> = {
  string: { imports: ['varchar'], column: (column) => `varchar('${column}', { length: 255 })` },
  // TEXT holds 65,535 bytes: not the 100,000 characters a text field takes.
  text: { imports: ['mediumtext'], column: (column) => `mediumtext('${column}')` },
  email: { imports: ['varchar'], column: (column) => `varchar('${column}', { length: 320 })` },
  url: { imports: ['text'], column: (column) => `text('${column}')` },
  integer: { imports: ['int'], column: (column) => `int('${column}')` },
  bigint: { imports: ['bigint'], column: (column) => `bigint('${column}', { mode: 'number' })` },
  number: { imports: ['double'], column: (column) => `double('${column}')` },
  decimal: { imports: ['decimal'], column: (column) => `decimal('${column}', { precision: 12, scale: 2 })` },
  boolean: { imports: ['boolean'], column: (column) => `boolean('${column}')` },
  date: { imports: ['date'], column: (column) => `date('${column}', { mode: 'string' })` },
  datetime: {
    imports: [],
    helpers: ['dateTime'],
    column: (column) => `dateTime('${column}')`,
    stored: (literal) => `dateTime.stored(${literal})`,
  },
  uuid: { imports: [], helpers: ['uuid'], column: (column) => `uuid('${column}')` },
  json: { imports: [], helpers: ['json'], column: (column) => `json('${column}')` },
  enum: {
    imports: [],
    helpers: ['enumOf'],
    column: (column, enumName) => `${enumName}('${column}')`,
    stored: (literal, enumName) => `${enumName}.stored(${literal})`,
  },
  references: { imports: [], helpers: ['uuid'], column: (column) => `uuid('${column}')` },
};

// SQLite has five storage classes; src/db/columns.ts keeps what they cannot hold as such
// (exact decimals, dates with milliseconds, enums in their order) in integers.
const sqlite: Record<FieldType, ColumnRules> = {
  string: { imports: ['text'], column: (column) => `text('${column}', { length: 255 })` },
  text: { imports: ['text'], column: (column) => `text('${column}')` },
  email: { imports: ['text'], column: (column) => `text('${column}', { length: 320 })` },
  url: { imports: ['text'], column: (column) => `text('${column}')` },
  integer: { imports: ['integer'], column: (column) => `integer('${column}')` },
  bigint: { imports: ['integer'], column: (column) => `integer('${column}')` },
  number: { imports: ['real'], column: (column) => `real('${column}')` },
  decimal: {
    imports: [],
    helpers: ['decimal'],
    column: (column) => `decimal('${column}')`,
    stored: (literal) => `decimal.stored(${literal})`,
  },
  boolean: { imports: ['integer'], column: (column) => `integer('${column}', { mode: 'boolean' })` },
  // An ISO date as text sorts and compares as the date does.
  date: { imports: ['text'], column: (column) => `text('${column}')` },
  datetime: {
    imports: [],
    helpers: ['dateTime'],
    column: (column) => `dateTime('${column}')`,
    stored: (literal) => `dateTime.stored(${literal})`,
  },
  uuid: { imports: [], helpers: ['uuid'], column: (column) => `uuid('${column}')` },
  json: { imports: ['text'], column: (column) => `text('${column}', { mode: 'json' })` },
  enum: {
    imports: [],
    helpers: ['enumOf'],
    column: (column, enumName) => `${enumName}('${column}')`,
    stored: (literal, enumName) => `${enumName}.stored(${literal})`,
  },
  references: { imports: [], helpers: ['uuid'], column: (column) => `uuid('${column}')` },
};

export const COLUMN_RULES: Record<Database, Record<FieldType, ColumnRules>> = { postgres, mysql, sqlite };
