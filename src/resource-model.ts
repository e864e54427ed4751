// Everything the route templates need to know about one resource, computed once from its
// names and parsed fields. Templates only read this; they never look at the raw spec.

import { TYPE_RULES } from './field-types.js';
import type { FieldSpec } from './fields.js';
import { type ResourceNames, type Spellings, spell } from './naming.js';

/** Helpers the service's src/schemas/common.ts exports for zod schemas. */
const ORDER_SAFE_TYPES = new Set(['integer', 'bigint', 'number', 'decimal', 'boolean', 'date', 'datetime', 'uuid']);

const COMMON_SCHEMA_HELPERS = ['dateTimeString', 'decimalString', 'integerParam', 'jsonValue', 'numberParam'];

export interface FieldModel {
  name: string;
  column: string;
  /** Lower-case words, for prose in summaries and messages. */
  words: string;
  type: FieldSpec['type'];
  optional: boolean;
  unique: boolean;
  hasDefault: boolean;
  isReference: boolean;
  /** For references: deleting the parent deletes this row too. */
  cascade: boolean;
  /** The whole drizzle column expression. */
  drizzle: string;
  entity: string;
  create: string;
  update: string;
  filter: string | undefined;
  sortable: boolean;
  /** A TypeScript expression for a valid value, varying with `n` (references: the parent's id). */
  sample: string;
  invalid: string | undefined;
  /** For references: the parent resource's names. */
  parent: { plural: Spellings; singular: Spellings; file: string } | undefined;
}

export interface ResourceModel {
  plural: Spellings;
  singular: Spellings;
  /** SQL table name. */
  table: string;
  /** URL path of the collection. */
  path: string;
  /** Base name of every file of the resource. */
  file: string;
  fields: FieldModel[];
  drizzleImports: string;
  enums: { name: string; sqlName: string; values: string }[];
  enumImports: string;
  parents: { plural: Spellings; singular: Spellings; file: string }[];
  indexes: { name: string; columns: string }[];
  sortKeys: string[];
  sortable: FieldModel[];
  filterable: FieldModel[];
  commonImports: string;
  /** Fields a create request must carry. */
  required: FieldModel[];
  /** A field whose wrong-typed value a test sends. */
  invalidExample: FieldModel | undefined;
  uniqueExample: FieldModel | undefined;
  sortExample: FieldModel | undefined;
  filterExample: FieldModel | undefined;
  updateExample: FieldModel | undefined;
  /** The start of a call to the body factory, up to its overrides argument: `await buildPost(app, ` or `buildTag(`. */
  build: string;
}

export function buildResourceModel(names: ResourceNames, specs: FieldSpec[]): ResourceModel {
  const table = names.plural.snake;
  const enumName = (spec: FieldSpec) => `${names.singular.camel}${spell(spec.name).pascal}`;
  const fields = specs.map((spec): FieldModel => {
    const rules = TYPE_RULES[spec.type];
    const enumConst = enumName(spec);
    const defaults =
      spec.defaultValue === undefined ? undefined : rules.parseDefault(spec.defaultValue, spec.enumValues);
    const defaultCode = typeof defaults === 'string' ? undefined : defaults;
    const nullable = spec.optional ? '.nullable()' : '';
    const parent =
      spec.references === undefined
        ? undefined
        : {
            plural: spec.references.resource.plural,
            singular: spec.references.resource.singular,
            file: spec.references.resource.plural.kebab,
          };
    return {
      name: spec.name,
      column: spec.column,
      words: spell(spec.name).words,
      type: spec.type,
      optional: spec.optional,
      unique: spec.unique,
      hasDefault: defaultCode !== undefined,
      isReference: parent !== undefined,
      cascade: spec.references?.onDelete === 'cascade',
      drizzle: drizzleColumn(spec, rules.column(spec.column, enumConst), defaultCode?.drizzle),
      entity: `${rules.entity(enumConst)}${nullable}`,
      create:
        `${rules.input(enumConst)}${nullable}` +
        (defaultCode !== undefined ? `.default(${defaultCode.zod})` : spec.optional ? '.default(null)' : ''),
      update: `${rules.input(enumConst)}${nullable}`,
      filter: rules.filter?.(enumConst),
      sortable: rules.sortable && !spec.optional,
      sample:
        parent !== undefined
          ? `(await create${parent.singular.pascal}(app)).id`
          : rules.sample(spec.name, spec.enumValues),
      invalid: rules.invalid,
      parent,
    };
  });

  const imports = new Set(['index', 'pgTable', 'timestamp', 'uuid']);
  for (const spec of specs) for (const name of TYPE_RULES[spec.type].imports) imports.add(name);

  const enums = specs
    .filter((spec) => spec.type === 'enum')
    .map((spec) => ({
      name: enumName(spec),
      sqlName: `${names.singular.snake}_${spec.column}`,
      values: spec.enumValues.map((value) => `'${value}'`).join(', '),
    }));

  const parents = uniqueBy(
    fields.flatMap((field) => (field.parent === undefined ? [] : [field.parent])),
    (parent) => parent.file,
  );

  // Foreign keys are indexed too: the delete of a parent looks its children up by them.
  const indexes = [
    ...specs
      .filter((spec) => (spec.index || spec.references !== undefined) && !spec.unique)
      .map((spec) => ({ name: `${table}_${spec.column}_idx`, columns: `table.${spec.name}` })),
    { name: `${table}_created_at_id_idx`, columns: 'table.createdAt, table.id' },
  ];

  const sortable = fields.filter((field) => field.sortable);
  const sortKeys = [...sortable.map((field) => field.name), 'createdAt', 'updatedAt'].flatMap((key) => [
    key,
    `-${key}`,
  ]);
  const filterable = fields.filter((field) => field.filter !== undefined);
  const expressions = fields.flatMap((field) => [field.create, field.filter ?? '']).join(' ');

  return {
    plural: names.plural,
    singular: names.singular,
    table,
    path: `/${names.plural.kebab}`,
    file: names.plural.kebab,
    fields,
    drizzleImports: [...imports].sort().join(', '),
    enums,
    enumImports: enums.map((item) => item.name).join(', '),
    parents,
    indexes,
    sortKeys,
    sortable,
    filterable,
    commonImports: COMMON_SCHEMA_HELPERS.filter((helper) => new RegExp(`\\b${helper}\\b`).test(expressions)).join(', '),
    required: fields.filter((field) => !field.optional && !field.hasDefault),
    invalidExample: fields.find((field) => field.invalid !== undefined),
    uniqueExample: fields.find((field) => field.unique),
    // Types whose order is the same in PostgreSQL and in JavaScript whatever the collation.
    sortExample: sortable.find((field) => ORDER_SAFE_TYPES.has(field.type)),
    filterExample: filterable.find((field) => !field.isReference && field.type !== 'json'),
    updateExample: fields.find((field) => field.invalid !== undefined && !field.isReference) ?? fields[0],
    build: parents.length > 0 ? `await build${names.singular.pascal}(app, ` : `build${names.singular.pascal}(`,
  };
}

function drizzleColumn(spec: FieldSpec, builder: string, defaultCode: string | undefined): string {
  let chain = builder;
  if (!spec.optional) chain += '.notNull()';
  if (spec.unique) chain += '.unique()';
  if (defaultCode === 'now') chain += '.defaultNow()';
  else if (defaultCode === 'random') chain += '.defaultRandom()';
  else if (defaultCode !== undefined) chain += `.default(${defaultCode})`;
  if (spec.references !== undefined) {
    const parent = spec.references.resource.plural.camel;
    chain += `.references(() => ${parent}.id, { onDelete: '${spec.references.onDelete}' })`;
  }
  return chain;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
