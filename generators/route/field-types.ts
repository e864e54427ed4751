// What each field type of the DSL becomes in the generated code, on every database: the zod
// schemas for responses, request bodies and query filters, and the values tests use.
// Everything type-specific lives in this table and in columns.ts (how each database stores
// the type), so the templates stay free of type switches.

import { quote } from '../../src/naming/literals.js';
import type { FieldRules } from './field-rules.js';

export const FIELD_TYPES = [
  'string',
  'text',
  'email',
  'url',
  'integer',
  'bigint',
  'number',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'uuid',
  'json',
  'enum',
  'references',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** The spellings of a type in error messages and help. */
export const TYPE_SYNTAX = FIELD_TYPES.map((type) =>
  type === 'enum' ? 'enum(a,b,...)' : type === 'references' ? 'references(<plural>)' : type,
);

/** A default given in the spec, as code for the drizzle column and for the zod schema. */
export interface DefaultCode {
  drizzle: string;
  zod: string;
}

/** A type apart from how a database stores it (columns.ts has that). */
export interface TypeRules {
  /** zod for a value in a response. */
  entity: (enumName: string) => string;
  /** zod for a value in a request body; `rules` for a type whose own limit a rule replaces. */
  input: (enumName: string, rules: FieldRules) => string;
  /** zod for an equality filter in the query string (values arrive as text); undefined: not filterable. */
  filter?: (enumName: string) => string;
  /** Whether lists can be sorted by it (and so keyset-paged by it). */
  sortable: boolean;
  /** A TypeScript expression for a valid value that differs with the number `n`. */
  sample: (field: string, enumValues: string[]) => string;
  /** TypeScript expressions for values a body must refuse: the wrong type first, then the edges just past its limits. */
  invalid: string[];
  /** TypeScript expressions for valid values at the edges of the type, stored and returned unchanged. */
  edges: (enumValues: string[]) => string[];
  /** Query-string text a filter on the field refuses (undefined: every text is a valid filter). */
  invalidText?: string;
  /** Turns a default from the spec into code, or says what is wrong with it. */
  parseDefault: (raw: string, enumValues: string[]) => DefaultCode | string;
}

const INT32 = { min: -2147483648, max: 2147483647 };

function literalDefault(
  raw: string,
  check: (raw: string) => boolean,
  expected: string,
  canonical: (raw: string) => string = (value) => value,
): DefaultCode | string {
  if (!check(raw)) return `must be ${expected}`;
  const literal = quote(canonical(raw));
  return { drizzle: literal, zod: literal };
}

/** `12.5` -> `12.50`, `-0` -> `0.00`: a decimal as PostgreSQL writes a numeric(12,2). */
function twoPlaces(raw: string): string {
  const [whole = '0', fraction = ''] = raw.split('.');
  const sign = whole.startsWith('-') && /[1-9]/.test(raw) ? '-' : '';
  const digits = whole.replace('-', '').replace(/^0+(?=\d)/, '');
  return `${sign}${digits}.${fraction.padEnd(2, '0')}`;
}

function integerDefault(raw: string, min: number, max: number): DefaultCode | string {
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    return `must be a whole number from ${min} to ${max}`;
  }
  return { drizzle: String(Number(raw)), zod: String(Number(raw)) };
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DECIMAL = /^-?\d{1,10}(\.\d{1,2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const TYPE_RULES: Record<FieldType, TypeRules> = {
  string: {
    entity: () => 'z.string()',
    input: () => 'lineString',
    filter: () => "z.string().trim().normalize('NFC')",
    sortable: true,
    sample: (field) => `\`${field} \${n}\``,
    invalid: ['42', "''", "'   '", "'x'.repeat(256)", "'a\\u200Bb'", "'two\\nlines'"],
    edges: () => ["'x'.repeat(255)", "'caf\\u00e9 \\u{1F600}'"],
    parseDefault: (raw) => literalDefault(raw, (value) => value.length <= 255, 'at most 255 characters'),
  },
  text: {
    entity: () => 'z.string()',
    input: (_enumName, rules) => `textString.max(${rules.max ?? '100_000'})`,
    filter: () => "z.string().normalize('NFC')",
    sortable: false,
    sample: (field) => `\`Some ${field} for number \${n}.\``,
    invalid: ['42', "'x'.repeat(100_001)", "'a\\u0000b'", "'a\\ud800b'"],
    edges: () => ["''", "'x'.repeat(100_000)", "'two\\nlines'"],
    parseDefault: (raw) => ({ drizzle: quote(raw), zod: quote(raw) }),
  },
  email: {
    entity: () => 'z.email()',
    // Kept in lower case, so a unique email cannot be taken twice by changing its case.
    input: () => 'z.email().max(320).toLowerCase()',
    filter: () => 'z.email().toLowerCase()',
    sortable: true,
    sample: (field) => `\`${field.toLowerCase()}-\${n}@example.com\``,
    invalid: ["'not-an-email'", '42', "'a@example.com '"],
    edges: () => [],
    invalidText: 'not-an-email',
    parseDefault: (raw) =>
      literalDefault(
        raw,
        (value) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) && value === value.toLowerCase(),
        'an email address in lower case',
      ),
  },
  url: {
    entity: () => 'z.url()',
    input: () => 'httpUrl',
    filter: () => 'z.url()',
    sortable: false,
    sample: (field) => `\`https://example.com/${field.toLowerCase()}/\${n}\``,
    invalid: [
      "'not a url'",
      "'javascript:alert(1)'",
      "'ftp://example.com/file'",
      "'https://example.com/a b'",
      "'https://bücher.example/'",
      "'https://example.com/%zz'",
      "'https://user:secret@example.com/'",
    ],
    edges: () => ["'https://example.com/caf%C3%A9?q=a%20b#top'", "'https://[::1]:8080/x'"],
    invalidText: 'not a url',
    parseDefault: (raw) =>
      literalDefault(
        raw,
        (value) =>
          URL.canParse(value) && /^https?:\/\/[^@/?#\s]+(?:[/?#][A-Za-z0-9\-._~:/?#!$&'()*+,;=%]*)?$/.test(value),
        'an http(s) URL written as RFC 3986 writes one (no spaces, letters outside ASCII percent-encoded)',
      ),
  },
  integer: {
    entity: () => 'z.int32()',
    input: () => 'z.int32()',
    // The column's range: a value past it would reach the database as a filter or a cursor.
    filter: () => 'integerParam.pipe(z.int32())',
    sortable: true,
    sample: () => 'n',
    invalid: ["'many'", '2_147_483_648', '-2_147_483_649', '1.5'],
    edges: () => ['2_147_483_647', '-2_147_483_648', '0'],
    invalidText: 'many',
    parseDefault: (raw) => integerDefault(raw, INT32.min, INT32.max),
  },
  bigint: {
    entity: () => 'z.int()',
    input: () => 'z.int()',
    filter: () => 'integerParam',
    sortable: true,
    sample: () => 'n * 1_000_000_007',
    invalid: ["'many'", '2 ** 53', '1.5'],
    edges: () => ['Number.MAX_SAFE_INTEGER', 'Number.MIN_SAFE_INTEGER'],
    invalidText: 'many',
    parseDefault: (raw) => integerDefault(raw, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  },
  number: {
    entity: () => 'z.number()',
    input: () => 'z.number()',
    filter: () => 'numberParam',
    sortable: true,
    sample: () => 'n + 0.5',
    invalid: ["'many'", "'1.5'"],
    edges: () => ['-1.5e300', '0.1', '0'],
    invalidText: 'many',
    parseDefault: (raw) =>
      Number.isFinite(Number(raw)) && raw.trim() !== ''
        ? { drizzle: String(Number(raw)), zod: String(Number(raw)) }
        : 'must be a number',
  },
  decimal: {
    entity: () => 'z.string()',
    input: () => 'decimalString',
    filter: () => 'decimalString',
    sortable: true,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source for the generated tests
    sample: () => '`${n}.25`',
    invalid: ['12.5', "'12.345'", "'12345678901'", "'1e3'"],
    edges: () => ["'9999999999.99'", "'-9999999999.99'", "'0.01'"],
    invalidText: 'many',
    // Written as numeric(12,2) returns it (`12.5` -> `12.50`), so the default a create
    // stores is the value the API answers with.
    parseDefault: (raw) => literalDefault(raw, (value) => DECIMAL.test(value), 'a decimal like 12.50', twoPlaces),
  },
  boolean: {
    entity: () => 'z.boolean()',
    input: () => 'z.boolean()',
    // `true` or `false` only, as JSON writes them: the OpenAPI document can list them, and
    // a client cannot lean on spellings (yes, 1, on) another implementation would refuse.
    filter: () => "z.enum(['true', 'false']).transform((value) => value === 'true')",
    sortable: true,
    sample: () => 'n % 2 === 0',
    invalid: ["'yes'", '1', "'true'"],
    edges: () => ['true', 'false'],
    invalidText: 'yes',
    parseDefault: (raw) => (raw === 'true' || raw === 'false' ? { drizzle: raw, zod: raw } : 'must be true or false'),
  },
  date: {
    entity: () => 'z.iso.date()',
    input: () => 'dateString',
    filter: () => 'dateString',
    sortable: true,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source for the generated tests
    sample: () => "`2024-01-${String((n % 28) + 1).padStart(2, '0')}`",
    invalid: ["'31/12/2024'", "'2023-02-29'", "'2024-12-31T00:00:00Z'", "'0000-12-31'"],
    edges: () => ["'2024-02-29'", "'0001-01-01'", "'9999-12-31'"],
    invalidText: 'yesterday',
    parseDefault: (raw) => literalDefault(raw, (value) => DATE.test(value), 'a date like 2024-12-31'),
  },
  datetime: {
    entity: () => 'z.date()',
    input: () => 'dateTimeString',
    filter: () => 'dateTimeString',
    sortable: true,
    sample: () => 'new Date(Date.UTC(2024, 0, 1, 12, 0, n)).toISOString()',
    invalid: ["'yesterday'", "'2024-01-01T00:00:00'", "'2024-13-01T00:00:00Z'", "'9999-12-31T23:59:59.999-23:59'"],
    edges: () => [
      "'2024-02-29T23:59:59.999Z'",
      "'1970-01-01T00:00:00.000Z'",
      "'0001-01-01T00:00:00.000Z'",
      "'9999-12-31T23:59:59.999Z'",
    ],
    invalidText: 'yesterday',
    parseDefault: (raw) => {
      if (raw === 'now') return { drizzle: 'now', zod: '() => new Date()' };
      return DATETIME.test(raw) && !Number.isNaN(Date.parse(raw))
        ? { drizzle: `new Date(${quote(raw)})`, zod: `() => new Date(${quote(raw)})` }
        : 'must be now or a date-time like 2024-12-31T23:59:00Z';
    },
  },
  uuid: {
    entity: () => 'z.uuid()',
    // Kept in lower case, as PostgreSQL gives a uuid back, on every database.
    input: () => 'z.uuid().toLowerCase()',
    filter: () => 'z.uuid().toLowerCase()',
    sortable: true,
    sample: () => 'crypto.randomUUID()',
    invalid: ["'not-a-uuid'", '42'],
    edges: () => [],
    invalidText: 'not-a-uuid',
    parseDefault: (raw) => {
      if (raw === 'random') return { drizzle: 'random', zod: '() => crypto.randomUUID()' };
      return UUID.test(raw) ? { drizzle: quote(raw), zod: quote(raw) } : 'must be random or a UUID';
    },
  },
  json: {
    entity: () => 'jsonValue',
    // Not z.json(): its recursive schema breaks the OpenAPI document's $refs.
    input: () => 'jsonValue',
    sortable: false,
    invalid: ['nested(32)', "{ text: 'x'.repeat(65_536) }", "{ note: 'a\\ud800b' }"],
    edges: () => ['nested(31)', 'null', "'text'", '0'],
    sample: () => "{ n, tags: ['alpha', 'beta'] }",
    parseDefault: (raw) => {
      try {
        const value = JSON.stringify(JSON.parse(raw));
        return { drizzle: value, zod: value };
      } catch {
        return 'must be a JSON value without spaces, like {} or [] or {"a":1}';
      }
    },
  },
  enum: {
    entity: (enumName) => `z.enum(${enumName}.enumValues)`,
    input: (enumName) => `z.enum(${enumName}.enumValues)`,
    filter: (enumName) => `z.enum(${enumName}.enumValues)`,
    sortable: true,
    // The `??` only satisfies noUncheckedIndexedAccess: n % length is always an index.
    sample: (_field, values) =>
      `([${values.map(quote).join(', ')}] as const)[n % ${values.length}] ?? ${quote(values[0] ?? '')}`,
    invalid: ["'not-one-of-the-values'", '0'],
    edges: (values) => values.map(quote),
    invalidText: 'not-one-of-the-values',
    parseDefault: (raw, values) =>
      values.includes(raw) ? { drizzle: quote(raw), zod: quote(raw) } : `must be one of ${values.join(', ')}`,
  },
  references: {
    entity: () => 'z.uuid()',
    // Kept in lower case, as PostgreSQL gives a uuid back, on every database.
    input: () => 'z.uuid().toLowerCase()',
    filter: () => 'z.uuid().toLowerCase()',
    sortable: false,
    sample: () => '',
    invalid: ["'not-a-uuid'"],
    edges: () => [],
    invalidText: 'not-a-uuid',
    parseDefault: () => 'a reference cannot have a default',
  },
};
