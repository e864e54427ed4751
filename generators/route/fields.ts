// The field DSL: `name:type[:modifier...][=default]`, space separated, e.g.
//   title:string:unique body:text? published:boolean=false status:enum(draft,published)=draft
//   author:references(users):cascade
// parsed once into a typed model that every template reads.

import { reservedWordProblem } from '../../src/naming/reserved-words.js';
import { type ResourceNames, resourceNames, spell } from '../../src/naming/spellings.js';
import { FIELD_TYPES, type FieldType, TYPE_RULES, TYPE_SYNTAX } from './field-types.js';

export const MODIFIERS = ['unique', 'index', 'cascade'] as const;
export type Modifier = (typeof MODIFIERS)[number];

/** Added to every resource by the generator; a spec may not declare them. */
export const AUTOMATIC_FIELDS = ['id', 'createdAt', 'updatedAt'] as const;

export interface FieldSpec {
  /** The token as written, for messages. */
  token: string;
  /** Property name in TypeScript and JSON (camelCase); `author:references(users)` -> `authorId`. */
  name: string;
  /** Column name in SQL (snake_case). */
  column: string;
  type: FieldType;
  optional: boolean;
  unique: boolean;
  index: boolean;
  /** The default as written after `=`, if any. */
  defaultValue?: string;
  /** For enum fields. */
  enumValues: string[];
  /** For references fields: the resource pointed at, and what deleting it does. */
  references?: { resource: ResourceNames; onDelete: 'restrict' | 'cascade' };
}

export const DSL_HELP = `fields are name:type[:modifier...][=default], separated by spaces; types: ${TYPE_SYNTAX.join(', ')}; modifiers: ? after the type (optional), ${MODIFIERS.join(', ')} (cascade: references only); for example "title:string:unique body:text? published:boolean=false author:references(authors)"`;

const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const ENUM_VALUE = /^[a-z][a-z0-9_]*$/;
const QUERY_PARAMETERS = ['limit', 'cursor', 'sort'];

/** Thrown with every problem of a spec, each naming its token and what is allowed. */
export class FieldSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'FieldSpecError';
  }
}

/** Parses a whole spec; throws FieldSpecError listing every bad token at once. */
export function parseFields(spec: string): FieldSpec[] {
  const tokens = spec
    .trim()
    .split(/\s+/)
    .filter((token) => token.length > 0);
  const problems: string[] = [];
  const fields: FieldSpec[] = [];
  if (tokens.length === 0) problems.push(`no fields given; ${DSL_HELP}`);
  for (const token of tokens) {
    const parsed = parseField(token);
    if (typeof parsed === 'string') problems.push(parsed);
    else fields.push(parsed);
  }
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name)) problems.push(`field "${field.name}" is given twice ("${field.token}")`);
    seen.add(field.name);
  }
  if (problems.length > 0) throw new FieldSpecError(problems);
  return fields;
}

function parseField(token: string): FieldSpec | string {
  const equals = token.indexOf('=');
  const head = equals === -1 ? token : token.slice(0, equals);
  const defaultValue = equals === -1 ? undefined : token.slice(equals + 1);
  const [rawName = '', rawType = '', ...modifiers] = head.split(':');
  const bad = (problem: string) => `"${token}": ${problem}`;

  const optional = rawName.endsWith('?') || rawType.endsWith('?');
  const declaredName = rawName.replace(/\?$/, '');
  const typeText = rawType.replace(/\?$/, '');
  if (!FIELD_NAME.test(declaredName)) {
    return bad(`"${declaredName}" is not a valid field name: start with a letter, then letters, digits or _`);
  }
  if (typeText === '') return bad(`no type; ${DSL_HELP}`);

  const typeMatch = /^([a-z]+)(?:\((.*)\))?$/.exec(typeText);
  const type = FIELD_TYPES.find((known) => known === typeMatch?.[1]);
  if (type === undefined || typeMatch === null) {
    return bad(`unknown type "${typeText}"; allowed types: ${TYPE_SYNTAX.join(', ')}`);
  }
  const argument = typeMatch[2];
  if ((type === 'enum' || type === 'references') !== (argument !== undefined)) {
    return bad(
      type === 'enum' || type === 'references'
        ? `${type} needs its argument, as in ${type === 'enum' ? 'enum(draft,published)' : 'references(authors)'}`
        : `type ${type} takes no argument`,
    );
  }

  for (const modifier of modifiers) {
    if (!MODIFIERS.includes(modifier as Modifier)) {
      return bad(
        `unknown modifier "${modifier}"; allowed: ? after the type (optional), ${MODIFIERS.join(', ')}, =<default> at the end`,
      );
    }
  }
  const has = (modifier: Modifier) => modifiers.includes(modifier);
  if (has('cascade') && type !== 'references') return bad('cascade applies only to references(...) fields');
  if ((has('unique') || has('index')) && type === 'json') return bad('json fields cannot be unique or indexed');
  if (has('unique') && (type === 'boolean' || type === 'enum')) {
    return bad(`a ${type} field cannot be unique: the table could then hold only as many rows as the field has values`);
  }

  let enumValues: string[] = [];
  if (type === 'enum') {
    enumValues = (argument ?? '').split(',').map((value) => value.trim());
    const wrong = enumValues.find((value) => !ENUM_VALUE.test(value));
    if (wrong !== undefined) {
      return bad(`enum value "${wrong}" must be lower-case letters, digits and _, starting with a letter`);
    }
    if (new Set(enumValues).size !== enumValues.length) return bad('an enum value is listed twice');
  }

  let references: FieldSpec['references'];
  if (type === 'references') {
    const target = argument ?? '';
    if (!FIELD_NAME.test(target)) return bad(`references(${target}): name a resource, as in references(authors)`);
    references = { resource: resourceNames(target), onDelete: has('cascade') ? 'cascade' : 'restrict' };
  }

  const base = spell(declaredName);
  const name = type === 'references' && !/Id$/.test(base.camel) ? `${base.camel}Id` : base.camel;
  const column = spell(name).snake;
  if ((AUTOMATIC_FIELDS as readonly string[]).includes(name)) {
    return bad(`"${name}" is added to every resource by the generator; leave it out`);
  }
  if (QUERY_PARAMETERS.includes(name)) {
    return bad(`"${name}" is a query parameter of list requests (limit, cursor, sort); choose another name`);
  }
  const reserved = reservedWordProblem(name) ?? reservedWordProblem(column);
  if (reserved !== undefined) return bad(reserved);

  if (defaultValue !== undefined) {
    if (defaultValue === '') return bad('"=" needs a value after it');
    const parsed = TYPE_RULES[type].parseDefault(defaultValue, enumValues);
    if (typeof parsed === 'string') return bad(`default "${defaultValue}" ${parsed}`);
  }

  return {
    token,
    name,
    column,
    type,
    optional,
    unique: has('unique'),
    index: has('index'),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    enumValues,
    ...(references !== undefined ? { references } : {}),
  };
}
