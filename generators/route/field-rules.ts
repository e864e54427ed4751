// Rules beyond the type, written as modifiers: `min=`, `max=` and `pattern=`. Lengths for
// string and text, bounds for the number types. Each rule is carried into the zod schemas
// (and so the OpenAPI document), into a CHECK constraint where PostgreSQL can hold it, and
// into the values the generated tests send: samples that keep the rules, values past them.

import { createRequire } from 'node:module';
import type RandExpClass from 'randexp';
import { quote } from '../../src/naming/literals.js';
import type { FieldType } from './field-types.js';

// randexp replaces module.exports with its class, while its types declare a default export:
// required, it is the class itself.
const RandExp: typeof RandExpClass.default = createRequire(import.meta.url)('randexp');

export const RULE_NAMES = ['min', 'max', 'pattern'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface FieldRules {
  /** For string and text: the least number of characters; for numbers: the least value (as written). */
  min?: string;
  max?: string;
  /** For string and text: a JavaScript regular expression the whole value must match (anchor it). */
  pattern?: string;
}

export const RULES_HELP =
  'rules: min=<n> and max=<n> (string and text: length in characters; integer, bigint, number, decimal: the value), pattern=<regex> (string and text; last, anchored as in pattern=^[A-Z]{3}$)';

const LENGTH_TYPES: readonly FieldType[] = ['string', 'text'];
const VALUE_TYPES: readonly FieldType[] = ['integer', 'bigint', 'number', 'decimal'];

/** The widest values a type holds, for the bounds a rule may name. */
const TYPE_RANGE: Partial<Record<FieldType, { min: number; max: number }>> = {
  string: { min: 1, max: 255 },
  text: { min: 0, max: 100_000 },
  integer: { min: -2147483648, max: 2147483647 },
  bigint: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
  number: { min: -Number.MAX_VALUE, max: Number.MAX_VALUE },
  decimal: { min: -9999999999.99, max: 9999999999.99 },
};

/** The most characters a string field's value may have (its column's length); undefined for other types. */
export function stringLength(type: FieldType, rules: FieldRules): number | undefined {
  return type === 'string' ? Number(rules.max ?? TYPE_RANGE.string?.max) : undefined;
}

const NUMBER_TEXT: Record<string, RegExp> = {
  integer: /^-?\d+$/,
  bigint: /^-?\d+$/,
  number: /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i,
  decimal: /^-?\d{1,10}(\.\d{1,2})?$/,
  string: /^\d+$/,
  text: /^\d+$/,
};

const isLength = (type: FieldType) => LENGTH_TYPES.includes(type);

/** What is wrong with a field's rules, or undefined. */
export function rulesProblem(type: FieldType, rules: FieldRules): string | undefined {
  const named = Object.keys(rules) as RuleName[];
  if (named.length === 0) return undefined;
  if (!LENGTH_TYPES.includes(type) && !VALUE_TYPES.includes(type)) {
    return `a ${type} field takes no ${named.join(' or ')} rule; ${RULES_HELP}`;
  }
  if (rules.pattern !== undefined) {
    if (!isLength(type)) return `pattern= applies to string and text fields only, not ${type}`;
    try {
      new RegExp(rules.pattern, 'u');
    } catch (error) {
      return `pattern=${rules.pattern} is not a valid JavaScript regular expression (${(error as Error).message})`;
    }
  }
  const range = TYPE_RANGE[type];
  for (const name of ['min', 'max'] as const) {
    const text = rules[name];
    if (text === undefined || range === undefined) continue;
    const what = isLength(type)
      ? 'a whole number of characters'
      : `a ${type === 'decimal' ? 'decimal with up to 2 places' : type === 'number' ? 'number' : 'whole number'}`;
    if (!(NUMBER_TEXT[type] ?? /$^/).test(text)) return `${name}=${text}: must be ${what}`;
    const value = Number(text);
    if (value < range.min || value > range.max) {
      return `${name}=${text}: a ${type} ${isLength(type) ? 'is' : 'holds'} ${isLength(type) ? `${range.min} to ${range.max} characters long` : `values from ${range.min} to ${range.max}`}${type === 'string' ? '; use text for longer values' : ''}`;
    }
  }
  if (rules.min !== undefined && rules.max !== undefined && Number(rules.min) > Number(rules.max)) {
    return `min=${rules.min} is more than max=${rules.max}`;
  }
  return undefined;
}

/** Whether a value (a default, an example) keeps the rules. */
export function keepsRules(type: FieldType, rules: FieldRules, value: string): boolean {
  if (isLength(type)) {
    const length = [...value].length;
    if (rules.min !== undefined && length < Number(rules.min)) return false;
    if (rules.max !== undefined && length > Number(rules.max)) return false;
    return rules.pattern === undefined || new RegExp(rules.pattern, 'u').test(value);
  }
  const number = Number(value);
  if (rules.min !== undefined && number < Number(rules.min)) return false;
  return rules.max === undefined || number <= Number(rules.max);
}

/** What the rules add to the zod schema of a request body's field. */
export function zodRules(type: FieldType, rules: FieldRules): string {
  let chain = '';
  if (type === 'decimal') {
    // A decimal travels as a string: its bounds are compared as numbers (exact at 12 digits),
    // and told in words, since JSON Schema has no bounds for a string.
    if (rules.min !== undefined)
      chain += `.refine((value) => Number(value) >= ${rules.min}, 'must be at least ${rules.min}')`;
    if (rules.max !== undefined)
      chain += `.refine((value) => Number(value) <= ${rules.max}, 'must be at most ${rules.max}')`;
    const bounds = [
      rules.min === undefined ? '' : `at least ${rules.min}`,
      rules.max === undefined ? '' : `at most ${rules.max}`,
    ]
      .filter(Boolean)
      .join(' and ');
    const example = Number(rules.min ?? rules.max).toFixed(2);
    return chain === '' ? chain : `${chain}.meta({ description: 'A decimal ${bounds}', examples: ['${example}'] })`;
  }
  if (rules.min !== undefined) chain += `.min(${rules.min})`;
  // A text's max= is its input's own limit (field-types).
  if (rules.max !== undefined && type !== 'text') chain += `.max(${rules.max})`;
  if (rules.pattern !== undefined) chain += `.regex(${regexLiteral(rules.pattern)})`;
  return chain;
}

/** `^a/b$` -> `/^a\/b$/u`: the pattern as a regular expression literal. */
export function regexLiteral(pattern: string): string {
  return `/${pattern.replace(/(?<!\\)((?:\\\\)*)\//g, '$1\\/')}/u`;
}

/**
 * The SQL of the CHECK constraint that holds the rules in the database, with `${column}`
 * for the column; undefined when there is none. A string's maximum is its varchar length;
 * a pattern stays in zod, since PostgreSQL's regular expressions are not JavaScript's.
 */
export function checkSql(type: FieldType, rules: FieldRules, column: string, length: string): string | undefined {
  const subject = isLength(type) ? `${length}(${column})` : column;
  const min = rules.min !== undefined && !(type === 'string' && Number(rules.min) <= 1) ? rules.min : undefined;
  const max = rules.max !== undefined && type !== 'string' ? rules.max : undefined;
  if (min !== undefined && max !== undefined) return `${subject} between ${min} and ${max}`;
  if (min !== undefined) return `${subject} >= ${min}`;
  if (max !== undefined) return `${subject} <= ${max}`;
  return undefined;
}

// mulberry32: a small seeded generator, so the examples of a field are the same on every
// run (a later `field` re-renders the file and merges, and needs the same text).
function seeded(seed: string): (from: number, to: number) => number {
  let state = [...seed].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), 2166136261) >>> 0;
  return (from, to) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return from + Math.floor(unit * (to - from + 1));
  };
}

// Characters a lineString refuses or changes: the examples must be stored as sent.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const UNSTORABLE = /[\u0000-\u001F\u007F-\u009F\u00AD\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/;

/** How many distinct examples a field's tests need: unique fields take one per row a test makes. */
export const EXAMPLES_NEEDED = { unique: 30, shared: 5 };

/**
 * Text values that keep a string's or text's rules, for the samples the tests send; the
 * same list for the same field on every run.
 */
export function examplesFor(name: string, type: FieldType, rules: FieldRules, count: number): string[] {
  const lowest = Math.max(Number(rules.min ?? (type === 'string' ? 1 : 0)), type === 'string' ? 1 : 0);
  const highest = Math.min(Number(rules.max ?? 255), lowest + 12);
  const source = rules.pattern ?? `^[a-z]{${lowest},${Math.max(lowest, highest)}}$`;
  const generator = new RandExp(new RegExp(source, 'u'));
  generator.max = 8;
  generator.randInt = seeded(`${name}:${source}`);
  const found = new Set<string>();
  for (let attempt = 0; attempt < 2000 && found.size < count; attempt += 1) {
    const value = generator.gen();
    const stored = type === 'string' ? value.trim().normalize('NFC') : value.normalize('NFC');
    if (stored !== value || UNSTORABLE.test(value) || !keepsRules(type, rules, value)) continue;
    found.add(value);
  }
  return [...found];
}

/** A number sample in the rules' bounds, varying with `n`, as an integer expression. */
export function boundedSample(rules: FieldRules): string | undefined {
  if (rules.min === undefined && rules.max === undefined) return undefined;
  const low = rules.min === undefined ? undefined : Math.ceil(Number(rules.min));
  const high = rules.max === undefined ? undefined : Math.floor(Number(rules.max));
  const from = (start: number, step: string) => (start === 0 ? step : `${start} + ${step}`);
  if (low !== undefined && high !== undefined) return high > low ? from(low, `(n % ${high - low + 1})`) : `${low}`;
  return low !== undefined ? from(low, 'n') : `${high} - n`;
}

/** Values just past each bound, as TypeScript expressions, that a request must be refused for. */
export function pastRules(type: FieldType, rules: FieldRules): string[] {
  const past: string[] = [];
  if (isLength(type)) {
    const least = type === 'string' ? 1 : 0;
    if (rules.min !== undefined && Number(rules.min) - 1 >= least) past.push(`'x'.repeat(${Number(rules.min) - 1})`);
    if (rules.max !== undefined) past.push(`'x'.repeat(${Number(rules.max) + 1})`);
    if (rules.pattern !== undefined) {
      const pattern = new RegExp(rules.pattern, 'u');
      const miss = ['!', '0', 'a', 'Z', 'not matching 123'].find((value) => !pattern.test(value));
      if (miss !== undefined) past.push(quote(miss));
    }
    return past;
  }
  const step = type === 'integer' || type === 'bigint' ? 1 : type === 'decimal' ? 0.01 : 0.5;
  const write = (value: number) => (type === 'decimal' ? quote(twoPlaces(value)) : String(value));
  if (rules.min !== undefined) past.push(write(Number(rules.min) - step));
  if (rules.max !== undefined) past.push(write(Number(rules.max) + step));
  return past;
}

/** The bounds themselves: valid values at the edges, stored unchanged. */
export function ruleEdges(type: FieldType, rules: FieldRules): string[] {
  if (isLength(type)) {
    if (rules.pattern !== undefined) return [];
    return [rules.min, rules.max]
      .filter((bound): bound is string => bound !== undefined && Number(bound) > 0)
      .map((bound) => `'x'.repeat(${Number(bound)})`);
  }
  return [rules.min, rules.max]
    .filter((bound): bound is string => bound !== undefined)
    .map((bound) => (type === 'decimal' ? quote(twoPlaces(Number(bound))) : String(Number(bound))));
}

/**
 * Whether a type edge still holds under the rules. Edges are literal TypeScript
 * expressions of this pack's own (`'x'.repeat(255)`, `Number.MAX_SAFE_INTEGER`), so
 * evaluating one is reading a constant.
 */
export function edgeKeepsRules(type: FieldType, rules: FieldRules, edge: string): boolean {
  if (Object.keys(rules).length === 0) return true;
  if (isLength(type) && rules.pattern !== undefined) return false;
  const value: unknown = new Function(`return ${edge};`)();
  return keepsRules(type, rules, String(value));
}

/** `12.5` -> `'12.50'`: a decimal as numeric(12,2) returns it. */
function twoPlaces(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}
