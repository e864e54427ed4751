// Indexes across fields, and uniqueness with conditions: `book where returnedAt is null`
// (a book is on at most one open loan), `owner,slug`, `status,createdAt`. A unique one
// becomes a unique index (partial where it has a condition), so the database holds the
// rule whatever code writes the row, and a breach is a 409.

import { spell } from '../../src/naming/spellings.js';
import {
  type Condition,
  conditionSql,
  conditionWords,
  parseConditions,
  type StoredCode,
  WHEN_HELP,
} from './custom-actions.js';
import type { FieldSpec } from './fields.js';

/** An index as the manifest records it: the generator's inputs, as given. */
export interface IndexSpec {
  /** Field names separated by commas, then optionally ` where <conditions>`. */
  on: string;
  unique: boolean;
}

export interface ParsedIndex {
  /** The properties of the table the index is on, in order. */
  columns: string[];
  /** The SQL column names, for its name. */
  sqlColumns: string[];
  where: Condition[];
  unique: boolean;
  /** The fields among the columns (not the owner, createdAt or updatedAt). */
  fields: FieldSpec[];
}

export const INDEX_HELP = `an index is on fields separated by commas, optionally followed by "where" and conditions: ${WHEN_HELP}; for example "book where returnedAt is null", "owner,slug" or "status,createdAt". owner is the row's owner (--owned resources); createdAt and updatedAt are every resource's`;

/** Parses an index against the resource's fields; returns every problem at once. */
export function parseIndex(spec: IndexSpec, fields: FieldSpec[], owned: boolean): ParsedIndex | { problems: string[] } {
  const problems: string[] = [];
  const [on = '', ...rest] = spec.on.split(/\s+where\s+/);
  const where = parseConditions(rest.join(' where '), fields, 'where', problems);
  const columns: string[] = [];
  const sqlColumns: string[] = [];
  const chosen: FieldSpec[] = [];
  for (const written of on.split(',').map((name) => name.trim())) {
    const field = fields.find((candidate) => candidate.name === written || candidate.name === `${written}Id`);
    if (field !== undefined) {
      if (field.type === 'json') problems.push(`${field.name} is json, which cannot be indexed`);
      columns.push(field.name);
      sqlColumns.push(field.column);
      chosen.push(field);
    } else if ((written === 'owner' || written === 'ownerId') && owned) {
      columns.push('ownerId');
      sqlColumns.push('owner_id');
    } else if (written === 'createdAt' || written === 'updatedAt') {
      if (spec.unique)
        problems.push(`${written} is set by the database; a unique index on it would refuse rows by the clock`);
      columns.push(written);
      sqlColumns.push(spell(written).snake);
    } else {
      problems.push(
        `"${written}" is not a field of the resource; its fields: ${[...fields.map((candidate) => candidate.name), ...(owned ? ['owner'] : []), 'createdAt', 'updatedAt'].join(', ')}. ${INDEX_HELP}`,
      );
    }
  }
  if (new Set(columns).size !== columns.length) problems.push(`"${on}" names a field twice`);
  if (problems.length > 0) return { problems };
  return { columns, sqlColumns, where, unique: spec.unique, fields: chosen };
}

/** The index as the table declares it: its name, columns and WHERE, for the template. */
export function indexDeclaration(index: ParsedIndex, table: string, stored: StoredCode) {
  const suffix = index.unique ? 'unique' : 'idx';
  // Two indexes on the same columns differ in their conditions: their names must too.
  const condition = index.where.map(
    (clause) =>
      `${clause.field.column}_${clause.operator === 'is null' ? 'null' : clause.operator === 'is not null' ? 'set' : (clause.value ?? '')}`,
  );
  return {
    name: [table, ...index.sqlColumns, ...(condition.length > 0 ? ['where', ...condition] : []), suffix]
      .join('_')
      .slice(0, 63),
    columns: index.columns.map((column) => `table.${column}`).join(', '),
    unique: index.unique,
    where:
      index.where.length === 0
        ? undefined
        : index.where.map((condition) => conditionSql(condition, stored)).join(' and '),
  };
}

/** `book where returnedAt is null` in words: "book id while its returned at is empty". */
export function indexWords(index: ParsedIndex): string {
  const columns = index.columns.map((column) => spell(column).words).join(' and ');
  return index.where.length === 0 ? columns : `${columns} while ${conditionWords(index.where)}`;
}
