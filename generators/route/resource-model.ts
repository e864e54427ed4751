// Everything the route templates need to know about one resource, computed once from its
// names and parsed fields. Templates only read this; they never look at the raw spec.

import { quote } from '../../src/naming/literals.js';
import { type ResourceNames, type Spellings, spell } from '../../src/naming/spellings.js';
import { type Database, databaseContext } from '../../src/project/manifest.js';
import { ACTIONS, type AccessRules, type Action, accessCode, type ResourceAccess, sendAs } from './access.js';
import { COLUMN_RULES, TABLE_RULES } from './columns.js';
import { type ActionModel, buildActionModel, conditionCode, type ParsedAction, rowMeeting } from './custom-actions.js';
import {
  boundedSample,
  checkSql,
  EXAMPLES_NEEDED,
  edgeKeepsRules,
  examplesFor,
  pastRules,
  ruleEdges,
  stringLength,
  zodRules,
} from './field-rules.js';
import { TYPE_RULES } from './field-types.js';
import type { FieldSpec, Visibility } from './fields.js';
import { indexDeclaration, indexWords, type ParsedIndex } from './indexes.js';

/**
 * The zod building blocks field types use, each in its own file under the service's
 * src/schemas/values/ (kebab-case of the name), written by the first resource that needs it.
 */
const SCHEMA_VALUES = [
  'dateString',
  'dateTimeString',
  'decimalString',
  'httpUrl',
  'integerParam',
  'jsonValue',
  'lineString',
  'numberParam',
  'textString',
];

export interface FieldModel {
  name: string;
  column: string;
  /** Lower-case words, for prose in summaries and messages. */
  words: string;
  type: FieldSpec['type'];
  /** For enum fields, in their declared order (the order PostgreSQL sorts them in). */
  enumValues: string[];
  optional: boolean;
  unique: boolean;
  hasDefault: boolean;
  /** The default is a new random UUID (`uuid=random`). */
  randomDefault: boolean;
  isReference: boolean;
  /** Stored in lower case (email): a value in another case is the same value. */
  caseInsensitive: boolean;
  /** Stored trimmed (string): a value with spaces around it is the same value. */
  trimmed: boolean;
  /** For references: deleting the parent deletes this row too. */
  cascade: boolean;
  /** The whole drizzle column expression. */
  drizzle: string;
  entity: string;
  create: string;
  update: string;
  filter: string | undefined;
  sortable: boolean;
  /** For string fields, the most characters a value may have. */
  maxLength: number | undefined;
  /** A TypeScript expression for a valid value, varying with `n` (references: the parent's id). */
  sample: string;
  /** TypeScript expressions for values a body must refuse for this field. */
  invalid: string[];
  /** TypeScript expressions for valid values at the edges of the type, stored and returned unchanged. */
  edges: string[];
  /** Query-string text a filter on the field refuses, quoted; undefined when any text is a valid filter. */
  invalidText: string | undefined;
  /** The default a create without the field stores, as a TypeScript literal; undefined when it varies (now, random). */
  defaultLiteral: string | undefined;
  /** The value of the prepared insert's column: a placeholder, null-safe for optional fields. */
  insertValue: string;
  /** Its value in a prepared change: a placeholder through the column's encoder, null-safe for optional fields. */
  patchValue: string;
  /** For references: the parent resource's names. */
  parent: Parent | undefined;
  visibility: Visibility;
  /** Whether a pattern= rule decides what its values look like. */
  patterned: boolean;
  /** Values that keep rules the type's own samples would break: the factory's list its sample picks from. */
  examples: { name: string; values: string[] } | undefined;
  /** One valid value as a TypeScript literal, the same on every run (references: none). */
  example: string;
}

interface Parent {
  plural: Spellings;
  singular: Spellings;
  file: string;
  /** Who the tests send a request to the parent's routes as (see `as` of the model). */
  as: Record<Action, string>;
}

/** What the access tests of a resource check, when auth is installed. */
export interface AccessTests {
  /** Actions that need a token: 401 without a valid one. */
  signedIn: string[];
  /** Actions anyone may take. */
  public: string[];
  /** Actions a role may not take, with that role: 403. */
  forbidden: { action: string; role: string }[];
  /** Actions a rule names roles for, with each of those roles: let in. */
  allowed: { action: string; role: string }[];
  /** On an owned resource: the actions limited to the owner, and a role that sees only its own rows. */
  owner:
    | {
        /** Whether the list leaves out rows of other owners (list has an owner rule). */
        listed: boolean;
        /** The actions on one row that answer 404 for another owner's row. */
        rowActions: string[];
        strangerRole: string;
        seesAll: string | undefined;
      }
    | undefined;
  /** Which of vitest's expect and the helpers' expectProblem the tests use. */
  usesExpect: boolean;
  usesExpectProblem: boolean;
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
  /** Every field: the table's columns. */
  fields: FieldModel[];
  /** The fields responses carry (all but private ones). */
  entityFields: FieldModel[];
  /** The fields requests carry (neither private nor readonly). */
  inputFields: FieldModel[];
  /** Private and readonly fields: a request that sends one is refused. */
  serverSet: FieldModel[];
  /** Private fields: never in a response, a filter or a sort. */
  privateFields: FieldModel[];
  /** References to the resource itself (a category's parent), which a row may not point at itself with. */
  selfReferences: string[];
  /** CHECK constraints that hold the fields' rules, with the SQL as a drizzle sql template's body. */
  checks: { name: string; sql: string }[];
  /** The database the code is written for, as the templates' `db.postgres`, `db.sqlite`. */
  db: Record<Database, boolean>;
  /** The module drizzle's builders come from, and those the table's module imports from it. */
  drizzleCore: string;
  drizzleImports: string;
  /** What the table's module imports from the service's src/db/columns.ts (SQLite), if anything. */
  columnHelpers: string;
  tableBuilder: string;
  schemaUsesSql: boolean;
  enums: { name: string; declaration: string }[];
  enumImports: string;
  parents: { plural: Spellings; singular: Spellings; file: string }[];
  /** The parents of fields requests carry: the ones factories and tests make rows of. */
  inputParents: { plural: Spellings; singular: Spellings; file: string }[];
  indexes: { name: string; columns: string; unique: boolean; where: string | undefined }[];
  /** Unique indexes the tests can break through the API: a second row like the first is a 409. */
  uniqueIndexes: { words: string; overrides: string; second: string }[];
  sortKeys: string[];
  sortable: FieldModel[];
  filterable: FieldModel[];
  /** Which of SCHEMA_VALUES the resource's schemas use, by name. */
  schemaValues: Record<string, boolean>;
  /** The same, as the modules its schemas import them from. */
  schemaValueImports: { name: string; file: string }[];
  /** Fields a create request must carry. */
  required: FieldModel[];
  /**
   * What the minimal factory sends: the required fields, and unique fields with a default,
   * whose default two rows cannot share.
   */
  minimalBody: FieldModel[];
  /** The fields the minimal body leaves out: the service stores their default, or null. */
  leftToService: FieldModel[];
  /** Fields a create request may leave out or send as null. */
  optional: FieldModel[];
  /** Whether any field is optional: its insert then needs src/db/prepared.ts. */
  hasOptional: boolean;
  unique: FieldModel[];
  references: FieldModel[];
  /** Required, non-unique references: rows that may all point at one shared parent. */
  sharedReferences: FieldModel[];
  /** Fields a PATCH test changes on their own (references need a parent made first). */
  updatable: FieldModel[];
  /** The field single-change PATCH tests send: a plain one where there is one. */
  patchExample: FieldModel | undefined;
  /** Filterable fields with a filter the tests can pick two different values for. */
  testFilters: FieldModel[];
  /** Whether any field has edge values to test. */
  hasEdges: boolean;
  /** Sortable enum fields, whose order is their declared one. */
  enumOrders: FieldModel[];
  /** Unique fields stored normalized (trimmed, NFC), whose look-alike spellings must collide. */
  normalizedUnique: FieldModel[];
  /** The body factories: the minimal one (required fields) and the complete one (every field). */
  factories: { minimal: Factory; complete: Factory };
  /** Whether auth is installed: the resource then has access tests. */
  auth: boolean;
  /** Whether rows have an owner, set from the token on create. */
  owned: boolean;
  /** Whether the table's module imports the users table for its owner column alone. */
  importsUsers: boolean;
  /** Per action, the `config.access` its route declares, as TypeScript; undefined: the routes declare none. */
  accessConfig: Record<Action, string> | undefined;
  /** Per action, who the tests send the request as: the start of the request's options (`as: 'staff', `) or empty. */
  as: Record<Action, string>;
  accessTests: AccessTests | undefined;
  /** Custom actions (`action` generator): a route, a service method and tests each. */
  actions: ActionModel[];
  /** What the service imports from drizzle-orm. */
  /** A sortable text field whose longest values make the longest cursor; undefined where none. */
  longestCursorField: FieldModel | undefined;
  /** Whether the service sends a value through its column's encoder as a placeholder (filters, changes). */
  usesColumnPlaceholder: boolean;
  /** Whether the service limits a statement built per request to the owner's rows (MySQL's change, actions). */
  usesOwnedBy: boolean;
  ormImports: string;
  /** Whether a service method reports a conflict itself (an action's conditions). */
  reportsConflicts: boolean;
  /** Whether an action takes no body (its route then refuses one that carries fields). */
  hasBodilessAction: boolean;
}

const NOBODY_IN_PARTICULAR = Object.fromEntries(ACTIONS.map((action) => [action, ''])) as Record<Action, string>;

const sendAsFor = (rules: AccessRules, roles: readonly string[]) =>
  Object.fromEntries(ACTIONS.map((action) => [action, sendAs(rules[action], roles)])) as Record<Action, string>;

function accessTests({ rules, roles, owned }: ResourceAccess): AccessTests {
  const signedIn = ACTIONS.filter((action) => rules[action].kind !== 'public');
  const forbidden = ACTIONS.flatMap((action) => {
    const rule = rules[action];
    if (rule.kind !== 'roles' || rule.owner) return [];
    return roles.filter((role) => !rule.roles.includes(role)).map((role) => ({ action, role }));
  });
  const allowed = ACTIONS.flatMap((action) => {
    const rule = rules[action];
    return rule.kind === 'roles' ? rule.roles.map((role) => ({ action, role })) : [];
  });
  const ownerActions = ACTIONS.filter((action) => {
    const rule = rules[action];
    return rule.kind === 'roles' && rule.owner;
  });
  const seeingAll = new Set(
    ownerActions.flatMap((action) => {
      const rule = rules[action];
      return rule.kind === 'roles' ? rule.roles : [];
    }),
  );
  const strangerRole = roles.find((role) => !seeingAll.has(role));
  const get = rules.get;
  const open = ACTIONS.filter((action) => rules[action].kind === 'public');
  return {
    signedIn,
    public: open,
    forbidden,
    allowed,
    owner:
      owned && ownerActions.length > 0 && strangerRole !== undefined
        ? {
            listed: ownerActions.includes('list'),
            rowActions: ownerActions.filter((action) => action !== 'list'),
            strangerRole,
            seesAll: get.kind === 'roles' && get.owner ? get.roles[0] : undefined,
          }
        : undefined,
    usesExpect: open.length > 0 || allowed.length > 0 || owned,
    usesExpectProblem: signedIn.length > 0 || forbidden.length > 0 || owned,
  };
}

/**
 * The access tests with the custom actions in them: an action takes the update rule, so it
 * is refused and let in wherever update is. `all` are the actions' names; `plain` those a
 * fresh row can take (a let-in test expects success).
 */
function withCustomActions(tests: AccessTests, all: string[], plain: string[]): AccessTests {
  const asUpdate = (actions: string[], names: string[]) =>
    actions.includes('update') ? [...actions, ...names] : actions;
  const pairs = (list: { action: string; role: string }[], names: string[]) => [
    ...list,
    ...list
      .filter((pair) => pair.action === 'update')
      .flatMap((pair) => names.map((action) => ({ action, role: pair.role }))),
  ];
  return {
    ...tests,
    signedIn: asUpdate(tests.signedIn, all),
    public: asUpdate(tests.public, plain),
    forbidden: pairs(tests.forbidden, all),
    allowed: pairs(tests.allowed, plain),
    owner:
      tests.owner === undefined ? undefined : { ...tests.owner, rowActions: asUpdate(tests.owner.rowActions, all) },
  };
}

export interface Factory {
  /** Whether it creates parent rows through the app, and so is async and takes it. */
  async: boolean;
  /** Whether a value in it varies with the sequence number `n`. */
  usesSequence: boolean;
}

export function buildResourceModel(
  names: ResourceNames,
  specs: FieldSpec[],
  access: ResourceAccess | undefined = undefined,
  customActions: ParsedAction[] = [],
  customIndexes: ParsedIndex[] = [],
  database: Database = 'postgres',
): ResourceModel {
  const tableRules = TABLE_RULES[database];
  const columnRules = COLUMN_RULES[database];
  const parentAs = (parent: ResourceNames) =>
    access === undefined ? NOBODY_IN_PARTICULAR : sendAsFor(access.rulesOf(parent.plural.camel), access.roles);
  const table = names.plural.snake;
  const enumName = (spec: FieldSpec) => `${names.singular.camel}${spell(spec.name).pascal}`;
  const fields = specs.map((spec): FieldModel => {
    const rules = TYPE_RULES[spec.type];
    const enumConst = enumName(spec);
    const defaults =
      spec.defaultValue === undefined ? undefined : rules.parseDefault(spec.defaultValue, spec.enumValues);
    const defaultCode = typeof defaults === 'string' ? undefined : defaults;
    const nullable = spec.optional ? '.nullable()' : '';
    const input = `${rules.input(enumConst, spec.rules)}${zodRules(spec.type, spec.rules)}${nullable}`;
    const serverSet = spec.visibility !== 'public';
    const examples = textExamples(spec);
    const parent =
      spec.references === undefined
        ? undefined
        : {
            plural: spec.references.resource.plural,
            singular: spec.references.resource.singular,
            file: spec.references.resource.plural.kebab,
            as: parentAs(spec.references.resource),
          };
    return {
      name: spec.name,
      column: spec.column,
      words: spell(spec.name).words,
      type: spec.type,
      enumValues: spec.enumValues,
      optional: spec.optional,
      unique: spec.unique,
      hasDefault: defaultCode !== undefined,
      randomDefault: defaultCode?.drizzle === 'random',
      isReference: parent !== undefined,
      caseInsensitive: spec.type === 'email',
      trimmed: spec.type === 'string',
      cascade: spec.references?.onDelete === 'cascade',
      drizzle: drizzleColumn(
        spec,
        columnBuilder(spec, columnRules[spec.type].column(spec.column, enumConst), database),
        storedDefault(defaultCode?.drizzle, columnRules[spec.type].stored, enumConst),
        names.plural.camel,
        database,
      ),
      entity: `${rules.entity(enumConst)}${nullable}`,
      create:
        input + (defaultCode !== undefined ? `.default(${defaultCode.zod})` : spec.optional ? '.default(null)' : ''),
      update: input,
      filter: spec.visibility === 'private' ? undefined : rules.filter?.(enumConst),
      sortable: rules.sortable && !spec.optional && spec.visibility !== 'private',
      maxLength: stringLength(spec.type, spec.rules),
      // A parent row is made only when the caller brings none. A row of the resource itself is
      // left without one: making it would add rows to every list a test counts.
      sample:
        parent !== undefined
          ? parent.file === names.plural.kebab
            ? 'null'
            : `overrides.${spec.name} ?? (await create${parent.singular.pascal}(app)).id`
          : examples !== undefined
            ? `${examples.name}[n % ${examples.name}.length] ?? ${examples.name}[0]`
            : ruledSample(spec, rules.sample(spec.name, spec.enumValues)),
      invalid: serverSet ? [] : [...rules.invalid, ...pastRules(spec.type, spec.rules)],
      edges: serverSet
        ? []
        : [
            ...new Set([
              ...rules.edges(spec.enumValues).filter((edge) => edgeKeepsRules(spec.type, spec.rules, edge)),
              ...ruleEdges(spec.type, spec.rules),
            ]),
          ],
      invalidText: rules.invalidText === undefined ? undefined : quote(rules.invalidText),
      defaultLiteral: defaultCode === undefined || defaultCode.zod.startsWith('()') ? undefined : defaultCode.zod,
      insertValue: spec.optional
        ? `nullablePlaceholder('${spec.name}', ${names.plural.camel}.${spec.name})`
        : `sql.placeholder('${spec.name}')`,
      patchValue: `${spec.optional ? 'nullable' : 'column'}Placeholder('${spec.name}', ${names.plural.camel}.${spec.name})`,
      parent,
      visibility: spec.visibility,
      patterned: spec.rules.pattern !== undefined,
      examples,
      example: exampleOf(spec, examples),
    };
  });
  const entityFields = fields.filter((field) => field.visibility !== 'private');
  const inputFields = fields.filter((field) => field.visibility === 'public');
  const selfReferences = specs.filter((spec) => spec.references?.resource.plural.kebab === names.plural.kebab);
  const checks = [
    ...specs.flatMap((spec) => {
      const sql = checkSql(spec.type, spec.rules, `\${table.${spec.name}}`, tableRules.length);
      return sql === undefined ? [] : [{ name: `${table}_${spec.column}_check`, sql }];
    }),
    // Enums are stored as positions on MySQL and SQLite: the position must be one of the
    // values'. SQLite keeps text of any length, too: a string must be no longer than
    // PostgreSQL's and MySQL's varchar would hold.
    ...specs.flatMap((spec) => {
      const column = `\${table.${spec.name}}`;
      if (spec.type === 'enum' && database !== 'postgres') {
        return [
          { name: `${table}_${spec.column}_check`, sql: `${column} between 0 and ${spec.enumValues.length - 1}` },
        ];
      }
      const longest = spec.type === 'string' ? Number(spec.rules.max ?? 255) : spec.type === 'email' ? 320 : undefined;
      return longest !== undefined && database === 'sqlite'
        ? [{ name: `${table}_${spec.column}_length`, sql: `length(${column}) <= ${longest}` }]
        : [];
    }),
    // A row cannot be its own parent (a cycle through other rows is the service's rule to write).
    ...selfReferences.map((spec) => ({
      name: `${table}_${spec.column}_not_self`,
      sql: `\${table.${spec.name}} <> \${table.id}`,
    })),
  ];

  const imports = new Set([
    ...tableRules.imports,
    ...(checks.length > 0 ? ['check'] : []),
    ...(customIndexes.some((index) => index.unique) ? ['uniqueIndex'] : []),
    // A column that references its own table needs its type spelled out, or TypeScript sees a cycle.
    ...(specs.some((spec) => spec.references?.resource.plural.kebab === names.plural.kebab)
      ? [`type ${tableRules.anyColumn}`]
      : []),
  ]);
  const helpers = new Set(tableRules.helpers);
  for (const spec of specs) {
    for (const name of columnRules[spec.type].imports) imports.add(name);
    for (const name of columnRules[spec.type].helpers ?? []) helpers.add(name);
  }

  const enums = specs
    .filter((spec) => spec.type === 'enum')
    .map((spec) => ({
      name: enumName(spec),
      declaration: tableRules.enumDeclaration(
        enumName(spec),
        `${names.singular.snake}_${spec.column}`,
        spec.enumValues.map((value) => `'${value}'`).join(', '),
      ),
    }));

  // A reference to the resource itself (a category's parent) imports nothing.
  const parentsOf = (of: FieldModel[]) =>
    uniqueBy(
      of.flatMap((field) =>
        field.parent === undefined || field.parent.file === names.plural.kebab ? [] : [field.parent],
      ),
      (parent) => parent.file,
    );
  const parents = parentsOf(fields);

  // Foreign keys are indexed too: the delete of a parent looks its children up by them.
  const indexes = [
    ...specs
      .filter((spec) => (spec.index || spec.references !== undefined) && !spec.unique)
      .map((spec) => ({
        name: `${table}_${spec.column}_idx`,
        columns: `table.${spec.name}`,
        unique: false,
        where: undefined,
      })),
    { name: `${table}_created_at_id_idx`, columns: 'table.createdAt, table.id', unique: false, where: undefined },
    // An owner's rows, newest first: the list an owner asks for, and the rows a user's delete reaches.
    ...(access?.owned === true
      ? [
          {
            name: `${table}_owner_id_created_at_id_idx`,
            columns: 'table.ownerId, table.createdAt, table.id',
            unique: false,
            where: undefined,
          },
        ]
      : []),
    ...customIndexes.map((index) =>
      indexDeclaration(index, table, (field, literal) => columnRules[field.type].stored?.(literal, enumName(field))),
    ),
  ];

  const sortable = entityFields.filter((field) => field.sortable);
  const sortKeys = [...sortable.map((field) => field.name), 'createdAt', 'updatedAt'].flatMap((key) => [
    key,
    `-${key}`,
  ]);
  const filterable = entityFields.filter((field) => field.filter !== undefined);
  const required = inputFields.filter((field) => !field.optional && !field.hasDefault);
  const minimalBody = inputFields.filter((field) => required.includes(field) || (field.unique && field.hasDefault));
  const minimal = factory(minimalBody);
  const complete = factory(inputFields);
  const actionBodies = customActions.flatMap((action) =>
    action.body.map((spec) => fields.find((field) => field.name === spec.name)?.update ?? ''),
  );
  const expressions = [
    ...inputFields.map((field) => field.create),
    ...filterable.map((field) => field.filter),
    ...actionBodies,
  ].join(' ');
  // Cursors on createdAt and updatedAt always read a date-time.
  const usedValues = SCHEMA_VALUES.filter(
    (name) => name === 'dateTimeString' || new RegExp(`\\b${name}\\b`).test(expressions),
  );

  const facts = new Map(fields.map((field) => [field.name, { ...field, sentByMinimal: minimalBody.includes(field) }]));
  const resourceFacts = {
    plural: names.plural,
    singular: names.singular,
    path: `/${names.plural.kebab}`,
    owned: access?.owned ?? false,
  };
  const actions = customActions.map((action) => buildActionModel(action, resourceFacts, facts));
  const uniqueIndexes = customIndexes.flatMap((index) => {
    if (!index.unique) return [];
    const meeting = rowMeeting(index.where, facts);
    // Optional columns get a value in both rows: rows whose values are null never collide.
    const unsent = index.fields.filter((spec) => facts.get(spec.name)?.sentByMinimal !== true);
    // A column the second row copies from the first needs no example; one neither row sends does.
    const testable =
      meeting.reachable &&
      index.fields.every((spec) => facts.get(spec.name)?.visibility === 'public') &&
      unsent.every((spec) => facts.get(spec.name)?.example !== '');
    if (!testable) return [];
    const overrides = [
      ...meeting.overrides,
      ...unsent
        .filter((spec) => !meeting.overrides.some((o) => o.startsWith(`${spec.name}:`)))
        .map((spec) => `${spec.name}: ${facts.get(spec.name)?.example}`),
    ];
    const copied = index.fields.map((spec) => `${spec.name}: first.${spec.name}`);
    return [
      {
        words: indexWords(index),
        overrides: overrides.length === 0 ? '' : `{ ${overrides.join(', ')} }`,
        second: `{ ${[...overrides.filter((o) => !copied.some((c) => c.split(':')[0] === o.split(':')[0])), ...copied].join(', ')} }`,
      },
    ];
  });
  const operators = customActions.flatMap((action) =>
    action.when.map((condition) => conditionCode(condition, names.plural.camel).imports),
  );
  const actionConditions = actions.map((action) => `${action.where} ${action.rowWhere}`).join(' ');
  // Owned rows, list filters and conditions that join several parts put and() in the service.
  const joinsConditions = access?.owned === true || filterable.length > 0 || actionConditions.includes('and(');
  // MySQL changes a row in a transaction, with statements made there: nothing of it is prepared.
  const preparesChanges = database !== 'mysql';

  return {
    plural: names.plural,
    singular: names.singular,
    table,
    path: `/${names.plural.kebab}`,
    file: names.plural.kebab,
    fields,
    entityFields,
    inputFields,
    serverSet: fields.filter((field) => field.visibility !== 'public'),
    privateFields: fields.filter((field) => field.visibility === 'private'),
    selfReferences: selfReferences.map((spec) => spec.name),
    checks,
    db: databaseContext(database),
    drizzleCore: tableRules.core,
    drizzleImports: [...imports].sort().join(', '),
    columnHelpers: [...helpers].sort().join(', '),
    tableBuilder: tableRules.table,
    // PostgreSQL's updatedAt is set with SQL; elsewhere only checks and partial indexes use it.
    schemaUsesSql: database === 'postgres' || checks.length > 0 || indexes.some((index) => index.where !== undefined),
    enums,
    enumImports: enums.map((item) => item.name).join(', '),
    parents,
    inputParents: parentsOf(inputFields),
    indexes,
    sortKeys,
    sortable,
    filterable,
    schemaValues: Object.fromEntries(usedValues.map((name) => [name, true])),
    schemaValueImports: usedValues.map((name) => ({ name, file: spell(name).kebab })),
    required,
    minimalBody,
    leftToService: entityFields.filter((field) => !minimalBody.includes(field)),
    optional: inputFields.filter((field) => field.optional),
    hasOptional: inputFields.some((field) => field.optional),
    unique: inputFields.filter((field) => field.unique),
    references: inputFields.filter((field) => field.isReference),
    // A reference in a unique index is as good as unique: rows cannot share its parent.
    sharedReferences: required.filter(
      (field) =>
        field.isReference &&
        !field.unique &&
        !customIndexes.some((index) => index.unique && index.columns.includes(field.name)),
    ),
    updatable: inputFields.filter((field) => !field.isReference),
    patchExample: inputFields.find((field) => !field.isReference) ?? inputFields[0],
    // An enum of one value has no second value to filter out.
    // Fields requests set, so the test can give two rows different values.
    testFilters: filterable.filter(
      (field) =>
        field.visibility === 'public' && !field.isReference && !(field.type === 'enum' && field.enumValues.length < 2),
    ),
    hasEdges: inputFields.some((field) => field.edges.length > 0),
    enumOrders: sortable.filter((field) => field.type === 'enum'),
    // A pattern decides what a value may look like; the look-alike test's values would not match it.
    normalizedUnique: inputFields.filter(
      (field) => field.unique && (field.type === 'string' || field.type === 'text') && !field.patterned,
    ),
    factories: { minimal, complete },
    auth: access !== undefined,
    owned: access?.owned ?? false,
    // The owner column points at users; a users reference among the fields imports it already.
    importsUsers: access?.owned === true && !parents.some((parent) => parent.file === 'users'),
    accessConfig:
      access?.declared === true
        ? (Object.fromEntries(ACTIONS.map((action) => [action, accessCode(access.rules[action])])) as Record<
            Action,
            string
          >)
        : undefined,
    as: access === undefined ? NOBODY_IN_PARTICULAR : sendAsFor(access.rules, access.roles),
    accessTests:
      access === undefined
        ? undefined
        : withCustomActions(
            accessTests(access),
            actions.map((action) => action.name.camel),
            actions
              .filter((action) => action.test.reachable && action.test.overrides === '' && !action.test.refusedAtFirst)
              .map((action) => action.name.camel),
          ),
    actions,
    uniqueIndexes,
    // Its longest value in 3-byte characters makes the longest cursor a page hands out.
    longestCursorField: sortable.find(
      (field) => field.type === 'string' && !field.patterned && field.visibility === 'public',
    ),
    usesColumnPlaceholder: filterable.length > 0 || (preparesChanges && inputFields.some((field) => !field.optional)),
    usesOwnedBy: access?.owned === true && (!preparesChanges || actionConditions.includes('ownedBy(')),
    ormImports: [
      ...new Set([
        ...(joinsConditions ? ['and'] : []),
        'eq',
        'sql',
        ...operators,
        ...(fields.some((field) => field.visibility === 'private') ? ['getTableColumns'] : []),
      ]),
    ]
      .sort()
      .join(', '),
    reportsConflicts: actions.some((action) => action.conflict !== undefined),
    hasBodilessAction: actions.some((action) => action.body === undefined),
  };
}

/** A value of the field as a TypeScript literal: its sample for n = 1, evaluated here so it never varies. */
function exampleOf(spec: FieldSpec, examples: FieldModel['examples']): string {
  if (examples !== undefined) return examples.values[0] ?? "''";
  if (spec.type === 'references') return '';
  if (spec.type === 'enum') return quote(spec.enumValues[0] ?? '');
  if (spec.type === 'uuid') return quote('00000000-0000-4000-8000-000000000001');
  // The samples are this pack's own expressions in n (field-types, field-rules).
  const value: unknown = new Function(
    'n',
    `return ${ruledSample(spec, TYPE_RULES[spec.type].sample(spec.name, spec.enumValues))};`,
  )(1);
  return typeof value === 'string' ? quote(value) : JSON.stringify(value);
}

function factory(fields: FieldModel[]): Factory {
  return {
    async: fields.some((field) => field.isReference && field.sample !== 'null'),
    usesSequence: fields.some((field) => /\bn\b/.test(field.sample)),
  };
}

/** A string's max= rule is its column's length. */
function columnBuilder(spec: FieldSpec, builder: string, database: Database): string {
  if (spec.type !== 'string' || spec.rules.max === undefined) return builder;
  const type = database === 'sqlite' ? 'text' : 'varchar';
  return `${type}('${spec.column}', { length: ${Number(spec.rules.max)} })`;
}

/** A default's code as its column stores it, where the database stores the value otherwise. */
function storedDefault(
  code: string | undefined,
  stored: ((literal: string, enumName: string) => string) | undefined,
  enumName: string,
): string | undefined {
  return code === undefined || code === 'now' || code === 'random' || stored === undefined
    ? code
    : stored(code, enumName);
}

/** The type's sample, or one that keeps the field's rules where the type's would not. */
function ruledSample(spec: FieldSpec, typeSample: string): string {
  const { rules } = spec;
  if (spec.type === 'integer' || spec.type === 'bigint' || spec.type === 'number') {
    return boundedSample(rules) ?? typeSample;
  }
  if (spec.type === 'decimal') {
    const whole = boundedSample(rules);
    return whole === undefined ? typeSample : `\`\${${whole}}.00\``;
  }
  return typeSample;
}

/** For a string or text whose rules its type's samples would break: values that keep them. */
function textExamples(spec: FieldSpec): FieldModel['examples'] {
  const { rules } = spec;
  if (spec.type !== 'string' && spec.type !== 'text') return undefined;
  // The type's samples are from the name's length plus 2 to about plus 25 characters.
  const fits =
    rules.pattern === undefined &&
    Number(rules.min ?? 0) <= spec.name.length + 2 &&
    Number(rules.max ?? Number.POSITIVE_INFINITY) >= spec.name.length + 30;
  if (fits) return undefined;
  const count = spec.unique ? EXAMPLES_NEEDED.unique : EXAMPLES_NEEDED.shared;
  return { name: `${spec.name}Examples`, values: examplesFor(spec.name, spec.type, rules, count).map(quote) };
}

function drizzleColumn(
  spec: FieldSpec,
  builder: string,
  defaultCode: string | undefined,
  table: string,
  database: Database,
): string {
  const rules = TABLE_RULES[database];
  let chain = builder;
  if (!spec.optional) chain += '.notNull()';
  if (spec.unique) chain += '.unique()';
  if (defaultCode === 'now') chain += rules.defaultNow;
  else if (defaultCode === 'random') chain += rules.defaultRandom;
  else if (defaultCode !== undefined) chain += `.default(${defaultCode})`;
  if (spec.references !== undefined) {
    const parent = spec.references.resource.plural.camel;
    const typed = parent === table ? `(): ${rules.anyColumn}` : '()';
    chain += `.references(${typed} => ${parent}.id, { onDelete: '${onDelete(spec.references.onDelete, database)}' })`;
  }
  return chain;
}

/**
 * SQLite applies RESTRICT at once, and reports it as a trigger's failure that cannot be
 * traced to its reference; NO ACTION refuses the same deletes, as the statement ends, as a
 * foreign key failure that src/db/client.ts can trace.
 */
function onDelete(action: string, database: Database): string {
  return database === 'sqlite' && action === 'restrict' ? 'no action' : action;
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
