import type { FieldType } from '../../generators/route/field-types.js';

/** A small seeded generator (mulberry32): the same seed gives the same cases on every run. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  return { next, int, pick, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof seeded>;

const AWKWARD_STRINGS = [
  '',
  ' ',
  'null',
  '0',
  '-1',
  '1e309',
  'NaN',
  '💥',
  '\u0000',
  "'; drop table x; --",
  '../../etc',
  'a'.repeat(5000),
];

/** Any JSON value, biased towards the shapes that break validators: wrong types, nulls, deep nesting. */
export function randomJson(random: Random, depth = 0): unknown {
  switch (random.int(0, depth > 2 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -1e308, 42]);
    case 3:
    case 4:
      return random.pick(AWKWARD_STRINGS);
    case 5:
      return random.pick(['2024-13-45', '2024-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000', 'draft']);
    case 6:
      return Array.from({ length: random.int(0, 3) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(0, 4) }, () => [
          random.pick(['a', 'id', '__proto__', 'constructor', 'title']),
          randomJson(random, depth + 1),
        ]),
      );
  }
}

/** A JSON array nested `depth` levels deep. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let level = 1; level < depth; level += 1) value = [value];
  return value;
}

/** For each field type: values the API must accept, and values it must refuse (still never with a 5xx). */
const FIELD_VALUES: Record<FieldType, { valid: (random: Random) => unknown; invalid: unknown[] }> = {
  string: {
    valid: (random) =>
      random.pick(['x', 'Caf\u00e9', 'Cafe\u0301', ' padded ', '\u{1F4A5}', `s${random.int(0, 1e6)}`, 'x'.repeat(255)]),
    invalid: ['', '   ', 'x'.repeat(256), 'a\u200Bb', 'a\u0000b', 42, ['x']],
  },
  text: {
    valid: (random) => random.pick(['', 'line\nbreak', 'x'.repeat(5000), `t${random.int(0, 1e6)}`]),
    invalid: [42, 'x'.repeat(100_001), {}],
  },
  email: {
    valid: (random) => random.pick([`user${random.int(0, 1e6)}@example.com`, 'MiXeD@Example.COM']),
    invalid: ['no-at', 'a@b', ' a@example.com', 42],
  },
  url: {
    valid: (random) => random.pick(['https://example.com/a', `http://localhost:${random.int(1, 65535)}/x?y=1`]),
    invalid: ['javascript:alert(1)', 'ftp://example.com', 'not a url'],
  },
  integer: {
    valid: (random) => random.pick([0, -2147483648, 2147483647, random.int(-1000, 1000)]),
    invalid: [2147483648, -2147483649, 1.5, '7', Number.MAX_VALUE],
  },
  bigint: {
    valid: (random) => random.pick([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, random.int(-1e9, 1e9)]),
    invalid: [2 ** 53, 1.5, '7'],
  },
  number: {
    valid: (random) => random.pick([0, -1.5e300, 0.1, 1e21, random.next()]),
    invalid: ['1', 'NaN', true],
  },
  decimal: {
    valid: (random) => random.pick(['0.01', '9999999999.99', '-9999999999.99', `${random.int(0, 999)}.5`]),
    invalid: [1.5, '1e3', '12.345', '12345678901', ''],
  },
  boolean: { valid: (random) => random.chance(0.5), invalid: ['true', 1, 'yes'] },
  date: {
    valid: (random) => random.pick(['2024-02-29', '0001-01-01', '9999-12-31', '2024-06-15']),
    invalid: ['2023-02-29', '2024-13-01', '2024-01-01T00:00:00Z', '31/12/2024'],
  },
  datetime: {
    valid: (random) =>
      random.pick([
        '2024-01-01T00:00:00.000Z',
        '2024-06-01T12:00:00+02:00',
        '1970-01-01T00:00:00Z',
        '2024-02-29T23:59:59.999Z',
        // Years under 100 are the ones the PostgreSQL client rewrites before V8 reads them.
        '0001-01-01T00:00:00Z',
        '0099-12-31T23:59:59.999Z',
        '0100-01-01T00:00:00+01:00',
      ]),
    invalid: ['2024-01-01', 'yesterday', '2024-01-01T25:00:00Z', 123],
  },
  uuid: { valid: () => crypto.randomUUID(), invalid: ['x', '00000000-0000-0000-0000-00000000000g', 42] },
  json: {
    valid: (random) => random.pick([{ a: 1 }, [], 'text', 0, null, nested(31), { deep: nested(20) }]),
    invalid: [nested(33), nested(1000), { big: 'x'.repeat(70_000) }],
  },
  enum: { valid: () => undefined, invalid: ['nope', '', 0] },
  references: { valid: () => undefined, invalid: ['x', 42] },
};

/** What fuzzed request bodies are drawn from: a field's parsed spec, and the ids of rows that exist. */
export interface FuzzField {
  name: string;
  type: FieldType;
  optional: boolean;
  hasDefault: boolean;
  enumValues: string[];
  /** For references: ids of existing parent rows. */
  parentIds: string[] | undefined;
}

/** A value the API must accept for the field (a reference may point at no row: a 422, not a 400). */
function validValue(random: Random, field: FuzzField): unknown {
  if (field.type === 'enum') return random.pick(field.enumValues);
  if (field.type === 'references') {
    return random.chance(0.9) && field.parentIds?.length ? random.pick(field.parentIds) : crypto.randomUUID();
  }
  return FIELD_VALUES[field.type].valid(random);
}

/** A fuzzed body, and whether the API must refuse it with 400. */
export interface FuzzedBody {
  body: Record<string, unknown>;
  invalid: boolean;
  /** What was done to it, for the failure message. */
  fault: string;
}

/**
 * A body as clients send it, built from a resource's real fields: for a create, every
 * required field with optional ones left out, null or set; for a change, a few fields.
 * Half the bodies then get one fault: a field left out or null that may not be, a value
 * of the wrong type, at or past the edges of its type, hostile, or a field the API does
 * not know. So inserts and updates are reached, and each refusal has one known cause.
 */
export function randomBody(random: Random, fields: FuzzField[], kind: 'create' | 'change'): FuzzedBody {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (kind === 'change' && random.chance(0.6)) continue;
    if (kind === 'create' && (field.optional || field.hasDefault) && random.chance(0.3)) continue;
    body[field.name] = field.optional && random.chance(0.3) ? null : validValue(random, field);
  }
  if (random.chance(0.5)) return { body, invalid: kind === 'change' && Object.keys(body).length === 0, fault: 'none' };
  const field = random.pick(fields);
  switch (random.int(0, 3)) {
    case 0:
      delete body[field.name];
      return {
        body,
        invalid: kind === 'create' ? !field.optional && !field.hasDefault : Object.keys(body).length === 0,
        fault: `${field.name} left out`,
      };
    case 1:
      body[field.name] = null;
      // JSON null is a value a json field may hold.
      return { body, invalid: !field.optional && field.type !== 'json', fault: `${field.name} null` };
    case 2:
      body[field.name] = random.pick(FIELD_VALUES[field.type].invalid);
      return { body, invalid: true, fault: `${field.name} refused value` };
    default:
      // defineProperty: assigning to __proto__ would set the prototype, not a key JSON carries.
      Object.defineProperty(body, random.pick(['unknown', '__proto__', 'id', 'createdAt']), {
        value: 1,
        enumerable: true,
      });
      return { body, invalid: true, fault: 'unknown field' };
  }
}

/**
 * Seeds for a fuzz run: FUZZ_SEEDS (comma-separated) to replay one, else one fixed seed and
 * two new ones; printed, so a failure can be replayed.
 */
export function fuzzSeeds(what: string): number[] {
  const given = process.env.FUZZ_SEEDS;
  const seeds = given
    ? given.split(',').map(Number)
    : [20261128, Date.now() % 2 ** 31, Math.floor(Math.random() * 2 ** 31)];
  console.log(`${what}: seeds ${seeds.join(',')} (replay with FUZZ_SEEDS=${seeds.join(',')})`);
  return seeds;
}
