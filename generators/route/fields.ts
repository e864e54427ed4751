// The field DSL: `name:type[:modifier...][=default][:pattern=<regex>]`, space separated, e.g.
//   title:string:unique:max=80 body:text? published:boolean=false status:enum(draft,published)=draft
//   author:references(users):cascade price:decimal:min=0 code:string:pattern=^[A-Z]{3}$
// parsed once into a typed model that every template reads.

import { reservedWordProblem } from '../../src/naming/reserved-words.js';
import { type ResourceNames, resourceNames, spell } from '../../src/naming/spellings.js';
import {
  EXAMPLES_NEEDED,
  examplesFor,
  type FieldRules,
  keepsRules,
  RULE_NAMES,
  RULES_HELP,
  rulesProblem,
} from './field-rules.js';
import { FIELD_TYPES, type FieldType, TYPE_RULES, TYPE_SYNTAX } from './field-types.js';

export const MODIFIERS = ['unique', 'index', 'cascade', 'private', 'readonly'] as const;
export type Modifier = (typeof MODIFIERS)[number];

/**
 * Who sees and sets a field: `public` (the default) is in requests and responses;
 * `readonly` is in responses and filters, set only by the service's own code; `private`
 * is stored only: never in a response, a filter, a sort or a request.
 */
export type Visibility = 'public' | 'readonly' | 'private';

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
  rules: FieldRules;
  visibility: Visibility;
}

export const DSL_HELP = `fields are name:type[:modifier...][=default], separated by spaces; types: ${TYPE_SYNTAX.join(', ')}; modifiers: ? after the type (optional), ${MODIFIERS.join(', ')} (cascade: references only; private: stored, never in a request or response; readonly: in responses, set only by the service; both need ? or a default); ${RULES_HELP}; for example "title:string:unique:max=80 body:text? published:boolean=false price:decimal:min=0 author:references(authors)"`;

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

const PATTERN = ':pattern=';

/**
 * Splits a token into its head (`name:type:modifier...`), its default and its pattern. The
 * pattern comes last and takes the rest of the token, colons and all; the default is what
 * follows the first `=` that does not belong to a min= or max= rule.
 */
function splitToken(token: string): { head: string; defaultValue?: string; pattern?: string } {
  const at = token.indexOf(PATTERN);
  const rest = at === -1 ? token : token.slice(0, at);
  const pattern = at === -1 ? undefined : token.slice(at + PATTERN.length);
  let equals = rest.indexOf('=');
  while (equals !== -1 && /:(min|max)$/.test(rest.slice(0, equals))) equals = rest.indexOf('=', equals + 1);
  return {
    head: equals === -1 ? rest : rest.slice(0, equals),
    ...(equals === -1 ? {} : { defaultValue: rest.slice(equals + 1) }),
    ...(pattern === undefined ? {} : { pattern }),
  };
}

function parseField(token: string): FieldSpec | string {
  const { head, defaultValue, pattern } = splitToken(token);
  const [rawName = '', rawType = '', ...written] = head.split(':');
  const bad = (problem: string) => `"${token}": ${problem}`;
  if (pattern === '') return bad('pattern= needs a regular expression after it, as in pattern=^[A-Z]{3}$');

  const rules: FieldRules = pattern === undefined ? {} : { pattern };
  const modifiers: string[] = [];
  for (const modifier of written) {
    const rule = /^(min|max)=(.*)$/.exec(modifier);
    if (rule === null) modifiers.push(modifier);
    else if (rule[2] === '') return bad(`${rule[1]}= needs a number after it`);
    else if (rule[2]?.endsWith('?'))
      return bad(`? goes right after the type: ${rawType.replace(/\?$/, '')}?:${modifier.slice(0, -1)}`);
    else rules[rule[1] as 'min' | 'max'] = rule[2] as string;
  }

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
    if (modifier.endsWith('?') && MODIFIERS.includes(modifier.slice(0, -1) as Modifier)) {
      return bad(`? goes right after the type: ${typeText}?:${modifier.slice(0, -1)}`);
    }
    if (!MODIFIERS.includes(modifier as Modifier)) {
      return bad(
        `unknown modifier "${modifier}"; allowed: ? after the type (optional), ${MODIFIERS.join(', ')}, ${RULE_NAMES.map((rule) => `${rule}=`).join(', ')}, =<default> at the end`,
      );
    }
  }
  const has = (modifier: Modifier) => modifiers.includes(modifier);
  if (has('cascade') && type !== 'references') return bad('cascade applies only to references(...) fields');
  if ((has('unique') || has('index')) && type === 'json') return bad('json fields cannot be unique or indexed');
  if (has('unique') && (type === 'boolean' || type === 'enum')) {
    return bad(`a ${type} field cannot be unique: the table could then hold only as many rows as the field has values`);
  }
  if (has('private') && has('readonly')) return bad('a field is private or readonly, not both');
  const visibility: Visibility = has('private') ? 'private' : has('readonly') ? 'readonly' : 'public';
  if (visibility !== 'public' && !optional && defaultValue === undefined) {
    return bad(
      `a ${visibility} field is set only by the service's own code, so a create leaves it out: make it optional (?) or give it a default`,
    );
  }
  const ruleProblem = rulesProblem(type, rules);
  if (ruleProblem !== undefined) return bad(ruleProblem);

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
  if (rules.pattern !== undefined) {
    // The generated tests send values that match; a pattern they cannot find values for is refused.
    const needed = has('unique') ? EXAMPLES_NEEDED.unique : 1;
    if (examplesFor(name, type, rules, needed).length < needed) {
      return bad(
        needed === 1
          ? `no value keeps all of its rules (pattern=${rules.pattern} within its length)`
          : `a unique field needs at least ${needed} different values that keep its rules, for its tests; pattern=${rules.pattern} has fewer`,
      );
    }
  }

  if (defaultValue !== undefined) {
    if (defaultValue === '') return bad('"=" needs a value after it');
    const parsed = TYPE_RULES[type].parseDefault(defaultValue, enumValues);
    const misplaced = /:([a-z]+)/.exec(defaultValue)?.[1];
    if (typeof parsed === 'string' && misplaced !== undefined && MODIFIERS.includes(misplaced as Modifier)) {
      return bad(
        `modifiers go before the default: write ${head}:${misplaced}=${defaultValue.replace(`:${misplaced}`, '')}`,
      );
    }
    if (typeof parsed === 'string') return bad(`default "${defaultValue}" ${parsed}`);
    if (!keepsRules(type, rules, defaultValue)) return bad(`default "${defaultValue}" breaks the field's own rules`);
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
    rules,
    visibility,
  };
}
