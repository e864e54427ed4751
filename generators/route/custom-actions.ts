// Custom actions: a state change on one row past CRUD, such as `POST /loans/:id/return`.
// An action is declared by what it sets (`--sets "returnedAt=now"`), what a client sends
// with it (`--body "note"`, fields of the resource) and when it is allowed (`--when
// "returnedAt is null"`). The update runs as one statement whose WHERE holds the
// condition, so of two concurrent returns one wins and the other gets a 409.

import { quote } from '../../src/naming/literals.js';
import { type Spellings, spell } from '../../src/naming/spellings.js';
import { keepsRules } from './field-rules.js';
import { TYPE_RULES } from './field-types.js';
import type { FieldSpec } from './fields.js';
import type { FieldModel } from './resource-model.js';

export const ACTION_METHODS = ['POST', 'PUT', 'PATCH'] as const;
export type ActionMethod = (typeof ACTION_METHODS)[number];

/** An action as the manifest records it: the generator's inputs, as given. */
export interface ActionSpec {
  method: ActionMethod;
  /** Fields of the resource a client sends with the action, space separated. */
  body?: string;
  /** `field=value` pairs the action sets, space separated. */
  sets?: string;
  /** Conditions the row must meet, joined by ` and `. */
  when?: string;
}

/** The service methods and words a generated resource has already. */
const TAKEN_NAMES = ['list', 'get', 'create', 'update', 'remove', 'delete'];

export const SETS_HELP =
  'sets are field=value pairs, separated by spaces: value is now (datetime fields), null (optional fields), true/false, an enum value, a number or a text without spaces';
export const WHEN_HELP =
  'conditions are "<field> is null", "<field> is not null", "<field> = <value>" or "<field> != <value>", joined by " and "';

type Operator = 'is null' | 'is not null' | '=' | '!=';
export interface Condition {
  field: FieldSpec;
  operator: Operator;
  /** The value as written, for = and !=. */
  value?: string;
}

export interface ParsedAction {
  name: Spellings;
  method: ActionMethod;
  body: FieldSpec[];
  sets: { field: FieldSpec; value: string }[];
  when: Condition[];
}

const ACTION_NAME = /^[a-z][a-zA-Z0-9]*$/;

/** What is wrong with an action's name, or undefined. */
export function actionNameProblem(name: string): string | undefined {
  if (!ACTION_NAME.test(name)) {
    return `"${name}" is not a valid action name: a verb in camelCase starting with a lower-case letter, e.g. return, publish, markPaid`;
  }
  if (TAKEN_NAMES.includes(name))
    return `"${name}" is one of the resource's own operations (${TAKEN_NAMES.join(', ')}); name the action otherwise`;
  return undefined;
}

const fieldNamed = (fields: FieldSpec[], written: string) =>
  fields.find((field) => field.name === written || field.name === `${written}Id`);

/** A value for a field as TypeScript, or what is wrong with it. */
function valueCode(field: FieldSpec, raw: string, allowNow: boolean): string | { problem: string } {
  if (raw === 'null') return field.optional ? 'null' : { problem: `${field.name} is required, so it cannot be null` };
  if (raw === 'now') {
    return field.type === 'datetime' && allowNow
      ? 'new Date()'
      : { problem: 'now applies to datetime fields, when setting them' };
  }
  if (field.type === 'references' || field.type === 'json' || field.type === 'uuid') {
    return { problem: `a ${field.type} field takes only null here` };
  }
  const parsed = TYPE_RULES[field.type].parseDefault(raw, field.enumValues);
  if (typeof parsed === 'string') return { problem: `"${raw}" ${parsed}` };
  if (!keepsRules(field.type, field.rules, raw)) return { problem: `"${raw}" breaks the rules of ${field.name}` };
  return field.type === 'datetime' ? `new Date(${quote(raw)})` : parsed.zod;
}

/**
 * Conditions on a row (an action's --when, an index's where), read against the resource's
 * fields; each bad clause is added to `problems`, labelled.
 */
export function parseConditions(text: string, fields: FieldSpec[], label: string, problems: string[]): Condition[] {
  const when: Condition[] = [];
  for (const clause of text
    .split(/\s+and\s+/)
    .map((text) => text.trim())
    .filter(Boolean)) {
    const match = /^(\w+)\s+(is null|is not null|=|!=)(?:\s+(\S+))?$/.exec(clause);
    const field = match === null ? undefined : fieldNamed(fields, match[1] ?? '');
    const operator = match?.[2] as Operator | undefined;
    const value = match?.[3];
    if (
      match === null ||
      field === undefined ||
      operator === undefined ||
      (operator === '=' || operator === '!=') !== (value !== undefined)
    ) {
      problems.push(
        `${label} "${clause}": ${match !== null && field === undefined ? `the resource has no field "${match[1]}"; ` : ''}${WHEN_HELP}`,
      );
      continue;
    }
    if ((operator === 'is null' || operator === 'is not null') && !field.optional) {
      problems.push(`${label} "${clause}": ${field.name} is required, so it is never null`);
      continue;
    }
    if (value !== undefined) {
      const code = valueCode(field, value, false);
      if (typeof code !== 'string' || value === 'null') {
        problems.push(
          `${label} "${clause}": ${typeof code === 'string' ? 'compare with null using "is null"' : code.problem}`,
        );
        continue;
      }
    }
    when.push({ field, operator, ...(value !== undefined ? { value } : {}) });
  }
  return when;
}

/** Parses an action against the resource's fields; returns every problem at once. */
export function parseAction(
  name: string,
  spec: ActionSpec,
  fields: FieldSpec[],
): ParsedAction | { problems: string[] } {
  const problems: string[] = [];
  const nameProblem = actionNameProblem(name);
  if (nameProblem !== undefined) problems.push(nameProblem);
  if (!ACTION_METHODS.includes(spec.method)) problems.push(`method "${spec.method}": use ${ACTION_METHODS.join(', ')}`);

  const body: FieldSpec[] = [];
  for (const written of (spec.body ?? '').split(/\s+/).filter(Boolean)) {
    const field = fieldNamed(fields, written);
    if (field === undefined)
      problems.push(
        `body: the resource has no field "${written}"; its fields: ${fields.map((f) => f.name).join(', ')}`,
      );
    else if (field.visibility === 'private') problems.push(`body: ${field.name} is private: no request may carry it`);
    else if (field.type === 'references') problems.push(`body: ${field.name} is a reference; change it with PATCH`);
    else body.push(field);
  }

  const sets: ParsedAction['sets'] = [];
  for (const pair of (spec.sets ?? '').split(/\s+/).filter(Boolean)) {
    const [written = '', ...rest] = pair.split('=');
    const field = fieldNamed(fields, written);
    const raw = rest.join('=');
    if (field === undefined || rest.length === 0 || raw === '') {
      problems.push(
        `sets "${pair}": ${field === undefined ? `the resource has no field "${written}"` : 'give a value after ='}; ${SETS_HELP}`,
      );
      continue;
    }
    if (body.includes(field)) {
      problems.push(`sets "${pair}": ${field.name} is in the body already`);
      continue;
    }
    const code = valueCode(field, raw, true);
    if (typeof code === 'string') sets.push({ field, value: code });
    else problems.push(`sets "${pair}": ${code.problem}`);
  }

  const when = parseConditions(spec.when ?? '', fields, 'when', problems);

  if ((spec.body ?? '').trim() === '' && (spec.sets ?? '').trim() === '') {
    problems.push('an action changes its row: give --sets (what it sets) or --body (fields the client sends), or both');
  }
  if (problems.length > 0) return { problems };
  return { name: spell(name), method: spec.method, body, sets, when };
}

/** The conditions in words, for the OpenAPI description and the 409's message. */
export function conditionWords(when: Condition[]): string {
  return when
    .map(({ field, operator, value }) => {
      const words = spell(field.name).words;
      if (operator === 'is null') return `its ${words} is empty`;
      if (operator === 'is not null') return `its ${words} is set`;
      return `its ${words} is ${operator === '!=' ? 'not ' : ''}${value}`;
    })
    .join(' and ');
}

/** The conditions as what a row has: "has no returned at and has status open". */
function conditionHas(when: Condition[]): string {
  return when
    .map(({ field, operator, value }) => {
      const words = spell(field.name).words;
      if (operator === 'is null') return `has no ${words}`;
      if (operator === 'is not null') return `has a ${words}`;
      return `${operator === '!=' ? 'does not have' : 'has'} ${words} ${value}`;
    })
    .join(' and ');
}

/** A condition as a drizzle expression on the table `table`, and the operator it imports. */
export function conditionCode(condition: Condition, table: string): { code: string; imports: string } {
  const column = `${table}.${condition.field.name}`;
  if (condition.operator === 'is null') return { code: `isNull(${column})`, imports: 'isNull' };
  if (condition.operator === 'is not null') return { code: `isNotNull(${column})`, imports: 'isNotNull' };
  const value = valueCode(condition.field, condition.value ?? '', false) as string;
  return condition.operator === '='
    ? { code: `eq(${column}, ${value})`, imports: 'eq' }
    : { code: `ne(${column}, ${value})`, imports: 'ne' };
}

/** A field's model as actions and indexes read it. */
export type FieldFacts = Pick<
  FieldModel,
  'name' | 'update' | 'visibility' | 'example' | 'defaultLiteral' | 'hasDefault'
> & {
  /** Whether the minimal create sends it (so its value is a sample, not known here). */
  sentByMinimal: boolean;
};

/** Everything the templates need to write one action: route, schema, service method and tests. */
export interface ActionModel {
  name: Spellings;
  /** Fastify's method name: post, put, patch. */
  method: string;
  methodUpper: ActionMethod;
  /** The route's path, and as OpenAPI writes it. */
  path: string;
  openApiPath: string;
  operationId: string;
  summary: string;
  description: string;
  /** The body's schema and type, when clients send one. */
  body: { schema: string; type: string; fields: { name: string; zod: string }[] } | undefined;
  /** The drizzle `.set(...)` argument. */
  set: string;
  /** The update's WHERE: the row, its owner where the resource has them, and the conditions. */
  where: string;
  /** The row alone (and its owner): what the action locks first. */
  rowWhere: string;
  /** What it does, in words: "sets returned at to the time of the request". */
  what: string;
  /** The state it needs, in words: "its returned at is empty"; undefined: any. */
  condition: string | undefined;
  /** The name of the tests' helper that sends it. */
  sender: string;
  /** The 409's message, when the action has conditions. */
  conflict: string | undefined;
  responses: string;
  test: {
    /** The overrides a test's create passes so the row meets the conditions; empty: none. */
    overrides: string;
    /** The request's payload, as TypeScript; undefined: no body. */
    payload: string | undefined;
    /** What the answer holds afterwards, as TypeScript object properties. */
    expected: string;
    /** Fields set to now, whose new value is a time at or after the create. */
    setNow: string[];
    /** Whether the tests can bring a row to the state the action needs through the API. */
    reachable: boolean;
    /** Whether doing it again is refused (its own change breaks its conditions). */
    repeatRefused: boolean;
    /** Whether a freshly created row is refused (the tests then check the 409 first). */
    refusedAtFirst: boolean;
  };
}

type Known = { kind: 'value'; code: string } | { kind: 'null' } | { kind: 'unknown' };

function holds(condition: Condition, state: Known, fieldCode: (raw: string) => string): boolean | undefined {
  if (state.kind === 'unknown')
    return condition.operator === 'is not null' ? true : condition.operator === 'is null' ? false : undefined;
  if (condition.operator === 'is null') return state.kind === 'null';
  if (condition.operator === 'is not null') return state.kind !== 'null';
  if (state.kind === 'null') return condition.operator === '!=' ? undefined : false;
  const equal = state.code === fieldCode(condition.value ?? '');
  return condition.operator === '=' ? equal : !equal;
}

/** The action's model, on a resource whose fields' facts are `facts`. */
export function buildActionModel(
  action: ParsedAction,
  resource: { plural: Spellings; singular: Spellings; path: string; owned: boolean },
  facts: Map<string, FieldFacts>,
): ActionModel {
  const { name, body, sets, when } = action;
  const table = resource.plural.camel;
  const fact = (field: FieldSpec) => facts.get(field.name) as FieldFacts;
  const codeOf = (field: FieldSpec) => (raw: string) => valueCode(field, raw, false) as string;
  const setPairs = sets.map(({ field, value }) => `${field.name}: ${value}`);
  const set =
    body.length === 0
      ? `{ ${setPairs.join(', ')} }`
      : setPairs.length === 0
        ? 'input'
        : `{ ...input, ${setPairs.join(', ')} }`;
  const conflictText = when.length === 0 ? undefined : conditionWords(when);

  const { overrides, reachable, refusedAtFirst, before, initial } = rowMeeting(when, facts);

  // The row after the action: what it set, and what the test's payload sent.
  const after = new Map(before);
  for (const { field, value } of sets) {
    after.set(
      field.name,
      value === 'null'
        ? { kind: 'null' }
        : value === 'new Date()'
          ? { kind: 'unknown' }
          : { kind: 'value', code: value },
    );
  }
  for (const field of body) after.set(field.name, { kind: 'value', code: fact(field).example });
  const repeatRefused =
    reachable &&
    when.some(
      (condition) =>
        holds(condition, after.get(condition.field.name) ?? initial(condition.field), codeOf(condition.field)) ===
        false,
    );

  const payload =
    body.length === 0 ? undefined : `{ ${body.map((field) => `${field.name}: ${fact(field).example}`).join(', ')} }`;
  const shown = sets.filter(({ field }) => field.visibility !== 'private');
  const expected = [
    ...shown
      .filter(({ value }) => value !== 'new Date()')
      .map(
        ({ field, value }) =>
          `${field.name}: ${value.startsWith('new Date(') ? `new Date(${value.slice(9, -1)}).toISOString()` : value}`,
      ),
    ...(body.length > 0 ? ['...payload'] : []),
  ].join(', ');

  const words = name.words;
  const pathTail = `/:id/${name.kebab}`;
  const what = [
    ...sets.map(
      ({ field, value }) =>
        `sets ${spell(field.name).words} to ${value === 'new Date()' ? 'the time of the request' : value.replace(/^'|'$/g, '')}`,
    ),
    ...(body.length > 0 ? [`stores the ${listed(body.map((field) => spell(field.name).words))} sent`] : []),
  ].join(', and ');
  // 413 and 415 for any body: one that takes none still refuses what is sent with it.
  const codes = [400, 404, ...(when.length > 0 || body.length > 0 ? [409] : []), 413, 415, 429, 500, 503];
  return {
    name,
    method: action.method.toLowerCase(),
    methodUpper: action.method,
    path: `${resource.path}${pathTail}`,
    openApiPath: `${resource.path}/{id}/${name.kebab}`,
    operationId: `${name.camel}${resource.singular.pascal}`,
    summary: `${words.charAt(0).toUpperCase()}${words.slice(1)} ${article(resource.singular.words)} ${resource.singular.words}`,
    description: `${what.charAt(0).toUpperCase()}${what.slice(1)}.${conflictText === undefined ? '' : ` Refused with 409 unless ${conflictText}.`}`,
    body:
      body.length === 0
        ? undefined
        : {
            schema: `${name.camel}${resource.singular.pascal}Schema`,
            type: `${name.pascal}${resource.singular.pascal}`,
            fields: body.map((field) => ({ name: field.name, zod: fact(field).update })),
          },
    set,
    where: allOf([
      `eq(${table}.id, id)`,
      ...(resource.owned ? ['ownedBy(onlyOwnedBy)'] : []),
      ...when.map((condition) => conditionCode(condition, table).code),
    ]),
    rowWhere: allOf([`eq(${table}.id, id)`, ...(resource.owned ? ['ownedBy(onlyOwnedBy)'] : [])]),
    what,
    condition: conflictText,
    sender: `send${name.pascal}`,
    conflict:
      conflictText === undefined
        ? undefined
        : `Cannot ${words} this ${resource.singular.words}: ${words} needs ${article(resource.singular.words)} ${resource.singular.words} that ${conditionHas(when)}.`,
    responses: codes.join(', '),
    test: {
      overrides: overrides.length === 0 ? '' : `{ ${overrides.join(', ')} }`,
      payload,
      expected,
      setNow: shown.filter(({ value }) => value === 'new Date()').map(({ field }) => field.name),
      reachable,
      repeatRefused,
      refusedAtFirst,
    },
  };
}

/** `['a', 'b', 'c']` -> `a, b and c`. */
const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * The row the tests' minimal create makes, and the overrides that bring it to meet the
 * conditions: `reachable` is false where a field the conditions need is not one requests
 * set, `refusedAtFirst` where a fresh row certainly fails them.
 */
export function rowMeeting(when: Condition[], facts: Map<string, FieldFacts>) {
  const fact = (field: FieldSpec) => facts.get(field.name) as FieldFacts;
  const codeOf = (field: FieldSpec) => (raw: string) => valueCode(field, raw, false) as string;
  const initial = (field: FieldSpec): Known => {
    const known = fact(field);
    if (known.sentByMinimal) return { kind: 'unknown' };
    if (known.defaultLiteral !== undefined) return { kind: 'value', code: known.defaultLiteral };
    return known.hasDefault ? { kind: 'unknown' } : { kind: 'null' };
  };
  const overrides: string[] = [];
  let reachable = true;
  let refusedAtFirst = false;
  const before = new Map<string, Known>();
  for (const condition of when) {
    const state = before.get(condition.field.name) ?? initial(condition.field);
    if (holds(condition, state, codeOf(condition.field)) === true) continue;
    if (holds(condition, state, codeOf(condition.field)) === false) refusedAtFirst = true;
    const known = fact(condition.field);
    // A field requests do not set cannot be brought to the state through the API.
    if (known.visibility !== 'public') {
      reachable = false;
      continue;
    }
    const value =
      condition.operator === 'is null'
        ? 'null'
        : condition.operator === '='
          ? codeOf(condition.field)(condition.value ?? '')
          : undefined;
    if (value === undefined) {
      // is not null, or != a value: the field's example does, where it differs.
      const example = known.example;
      if (condition.operator === '!=' && example === codeOf(condition.field)(condition.value ?? '')) reachable = false;
      else overrides.push(`${condition.field.name}: ${example}`);
      before.set(condition.field.name, { kind: 'value', code: example });
      continue;
    }
    overrides.push(`${condition.field.name}: ${value}`);
    before.set(condition.field.name, value === 'null' ? { kind: 'null' } : { kind: 'value', code: value });
  }

  return { overrides, reachable, refusedAtFirst, before, initial };
}

/**
 * A value's code as its column stores it (`decimal.stored('12.50')` on SQLite), where the
 * database keeps it otherwise than as written; undefined where it keeps it as written.
 */
export type StoredCode = (field: FieldSpec, literal: string) => string | undefined;

/**
 * A condition as the body of a drizzle sql template on the table's columns (`table`), for an
 * index's WHERE: `${table.returnedAt} is null`, `${table.status} = 'paid'`, or on SQLite
 * `${table.status} = ${orderStatus.stored('paid')}`.
 */
export function conditionSql(condition: Condition, stored: StoredCode): string {
  const column = `\${table.${condition.field.name}}`;
  if (condition.operator === 'is null' || condition.operator === 'is not null')
    return `${column} ${condition.operator}`;
  const raw = condition.value ?? '';
  const parsed = TYPE_RULES[condition.field.type].parseDefault(raw, condition.field.enumValues);
  const kept = typeof parsed === 'string' ? undefined : stored(condition.field, parsed.drizzle);
  const numeric = ['integer', 'bigint', 'number', 'decimal', 'boolean'].includes(condition.field.type);
  const literal =
    kept !== undefined
      ? `\${${kept}}`
      : numeric
        ? raw
        : `'${raw.replace(/'/g, "''").replace(/[`\\]/g, '\\$&').replace(/\$\{/g, '\\${')}'`;
  return `${column} ${condition.operator === '=' ? '=' : '<>'} ${literal}`;
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? 'an' : 'a');

/** Drizzle conditions joined: one as it is, several in and(). */
const allOf = (parts: string[]) => (parts.length === 1 ? (parts[0] ?? '') : `and(${parts.join(', ')})`);
