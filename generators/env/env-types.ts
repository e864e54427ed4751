// The types `plop env` offers, and what each becomes in src/config/env.ts.

import { quote } from '../../src/naming/literals.js';

export const ENV_TYPE_SYNTAX = [
  'string',
  'url',
  'integer',
  'integer(min,max)',
  'port',
  'boolean',
  'duration',
  'enum(a,b,...)',
];

export interface EnvVariableType {
  /** The zod schema, built from the helpers env.ts already has. */
  zod: string;
  /** Checks a default (or example) value; returns the problem, or undefined. */
  check: (value: string) => string | undefined;
  /** The default as it appears in `.default(...)`: the parsed value. */
  defaultCode: (value: string) => string;
  /** A harmless value for the tests' environment. */
  testValue: string;
}

const DURATION_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
// The service refuses longer durations: Node fires a longer timer after 1 ms instead.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

function wholeNumber(min: number, max: number): EnvVariableType {
  return {
    zod: `wholeNumber(${min}, ${max})`,
    check: (value) =>
      /^-?\d+$/.test(value) && Number(value) >= min && Number(value) <= max
        ? undefined
        : `must be a whole number from ${min} to ${max}`,
    defaultCode: (value) => String(Number(value)),
    testValue: String(Math.max(min, Math.min(max, 1))),
  };
}

/** Parses a type as written on the command line, or returns what is wrong with it. */
export function parseEnvType(text: string): EnvVariableType | string {
  const allowed = `allowed types: ${ENV_TYPE_SYNTAX.join(', ')}`;
  if (text === 'string') {
    return { zod: 'z.string().min(1)', check: () => undefined, defaultCode: quote, testValue: 'test-value' };
  }
  if (text === 'url') {
    return {
      zod: 'z.url()',
      check: (value) => (URL.canParse(value) ? undefined : 'must be a URL'),
      defaultCode: quote,
      testValue: 'https://example.com',
    };
  }
  if (text === 'integer') return wholeNumber(0, 2_147_483_647);
  const range = /^integer\((-?\d+),(-?\d+)\)$/.exec(text);
  if (range !== null) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    return min <= max ? wholeNumber(min, max) : `integer(${min},${max}): the minimum is above the maximum`;
  }
  if (text === 'port') return wholeNumber(0, 65535);
  if (text === 'boolean') {
    return {
      zod: 'flag',
      check: (value) => (/^(true|false)$/.test(value) ? undefined : 'must be true or false'),
      defaultCode: (value) => value,
      testValue: 'false',
    };
  }
  if (text === 'duration') {
    const milliseconds = (value: string) => {
      const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(value) ?? [];
      return Number(amount) * DURATION_MS[unit as keyof typeof DURATION_MS];
    };
    return {
      zod: 'duration',
      check: (value) =>
        !/^\d+(ms|s|m|h)$/.test(value)
          ? 'must be a duration like 500ms, 30s, 5m or 1h'
          : milliseconds(value) > LONGEST_TIMER_MS
            ? 'must be at most 596h'
            : undefined,
      defaultCode: (value) => String(milliseconds(value)),
      testValue: '1s',
    };
  }
  const values = /^enum\(([^)]*)\)$/.exec(text)?.[1]?.split(',');
  if (values !== undefined) {
    if (values.some((value) => !/^[a-z0-9][a-z0-9_.-]*$/i.test(value))) {
      return `enum values must be letters, digits, ".", "-" and "_", as in enum(debug,info)`;
    }
    return {
      zod: `z.enum([${values.map(quote).join(', ')}])`,
      check: (value) => (values.includes(value) ? undefined : `must be one of ${values.join(', ')}`),
      defaultCode: quote,
      testValue: values[0] ?? '',
    };
  }
  return `unknown type "${text}"; ${allowed}`;
}
