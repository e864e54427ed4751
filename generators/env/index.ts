import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineGenerator } from '../../src/engine/generator.js';
import { type Placed, renderTemplates } from '../../src/engine/templates.js';
import { isTrue } from '../../src/engine/validators.js';
import { ENV_TYPE_SYNTAX, type EnvVariableType, parseEnvType } from './env-types.js';

export const ENV_FILE = join('src', 'config', 'env.ts');
const NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const SETTINGS_MARKER = '<!-- backend-dev-kit:settings -->';
// Variables the operating system, Node.js or npm already give a meaning to.
const RESERVED = new Set([
  'PATH',
  'HOME',
  'USER',
  'SHELL',
  'PWD',
  'TMPDIR',
  'TEMP',
  'TMP',
  'LANG',
  'TZ',
  'CI',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
]);

export function envNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) return `"${name}" is not UPPER_SNAKE_CASE (for example STRIPE_API_KEY)`;
  if (RESERVED.has(name) || /^(NPM|npm)_/.test(name))
    return `"${name}" is reserved by the system, Node.js or npm; choose another name`;
  return undefined;
}

export interface EnvOptions {
  name: string;
  description: string;
  type: EnvVariableType;
  secret: boolean;
  /** Absent: the variable is required. */
  fallback: string | undefined;
}

/** One variable as templates/env/ writes it into a service. */
export interface EnvVariable {
  name: string;
  description: string;
  /** The zod schema in src/config/env.ts, default included. */
  zod: string;
  secret: boolean;
  required: boolean;
  /** The value .env.example shows (empty for a secret or a required value). */
  exampleValue: string;
  /** A harmless value for the tests' environment, for a required variable. */
  testValue: string;
}

/** The changes that declare a variable in a service: schema, secret list, .env.example, README, tests. */
export function envVariableFiles(root: string, variable: EnvVariable): Placed[] {
  const readme = join(root, 'README.md');
  return renderTemplates('env', {
    ...variable,
    // Services from before the README listed settings have no marker for it.
    readmeListsSettings: existsSync(readme) && readFileSync(readme, 'utf8').includes(SETTINGS_MARKER),
  });
}

/** A variable of one of the env generator's types, as its options describe it. */
export function envVariable({ name, description, type, secret, fallback }: EnvOptions): EnvVariable {
  return {
    name,
    description,
    zod: fallback === undefined ? type.zod : `${type.zod}.default(${type.defaultCode(fallback)})`,
    secret,
    required: fallback === undefined,
    exampleValue: secret ? '' : (fallback ?? ''),
    testValue: secret ? 'test-secret-not-a-real-value' : type.testValue,
  };
}

/** Whether src/config/env.ts declares the variable already. */
export const envDeclares = (root: string, name: string): boolean =>
  new RegExp(`^\\s*${name}:`, 'm').test(readFileSync(join(root, ENV_FILE), 'utf8'));

export const envGenerator = defineGenerator<EnvOptions>({
  name: 'env',
  description:
    'A configuration variable: validated in src/config/env.ts, documented in .env.example, typed on app.config',
  inputs: [
    {
      name: 'name',
      message: 'Variable name (UPPER_SNAKE_CASE)',
      description: 'The environment variable, e.g. STRIPE_API_KEY; the app reads it as app.config.STRIPE_API_KEY',
      validate: envNameProblem,
      examples: ['STRIPE_API_KEY', 'CACHE_TTL'],
    },
    {
      name: 'description',
      message: 'What it configures (one line, for .env.example)',
      description: 'One line saying what the variable configures; it goes into .env.example',
      validate: (value) => (/[\r\n]/.test(value) ? 'must be a single line' : undefined),
      examples: ['Secret key for the Stripe API'],
    },
    {
      name: 'type',
      message: `Type (${ENV_TYPE_SYNTAX.join(', ')})`,
      description: `How the value is checked and what type the app sees: ${ENV_TYPE_SYNTAX.join(', ')}`,
      default: 'string',
      validate: (value) => {
        const type = parseEnvType(value);
        return typeof type === 'string' ? type : undefined;
      },
      examples: ['string', 'integer(1,100)', 'duration', 'enum(sandbox,live)'],
    },
    {
      name: 'secret',
      message: 'Is it a secret (true/false)?',
      description: 'true for credentials: never given a default or an example value, and redacted from every log line',
      default: 'false',
      flag: true,
      examples: ['true'],
    },
    {
      name: 'default',
      message: 'Default value (leave empty to make the variable required)',
      description:
        'The value used when the variable is unset; without one the variable is required and a missing value stops the start',
      optional: true,
      validate: (value, answers) => {
        if (isTrue(answers.secret ?? 'false'))
          return 'a secret cannot have a default: that would put its value in the code';
        const type = parseEnvType(answers.type ?? 'string');
        return typeof type === 'string' ? undefined : type.check(value);
      },
      examples: ['30s', '100'],
    },
  ],
  handEdits:
    'Then read the value where it is needed: `config.<NAME>` in a service, from the deps it is built with (`src/services/deps.ts`), or `app.config.<NAME>` in a plugin. Set it in `.env` for local runs and in every deployment (secrets only in the environment).',
  examples: [
    { name: 'PAYMENT_API_KEY', description: 'Key for the payment provider', secret: 'true' },
    { name: 'CACHE_TTL', description: 'How long lists may be cached', type: 'duration', default: '30s' },
  ],
  normalize(answers) {
    const type = parseEnvType(answers.type ?? 'string');
    // The type input was checked already; this cannot fail on answers that got here.
    if (typeof type === 'string') throw new Error(type);
    return {
      name: answers.name ?? '',
      description: answers.description ?? '',
      type,
      secret: isTrue(answers.secret ?? 'false'),
      fallback: answers.default,
    };
  },
  root: (_options, context) => context.destBasePath,
  preflight({ name }, context) {
    const file = join(context.destBasePath, ENV_FILE);
    if (!existsSync(file)) {
      return [`${context.destBasePath} is not a backend-dev-kit service (it has no ${ENV_FILE})`];
    }
    return envDeclares(context.destBasePath, name) ? [`${name} is already defined in ${ENV_FILE}`] : [];
  },
  render: (options, context) => envVariableFiles(context.destBasePath, envVariable(options)),
  nextSteps: ({ name, fallback }) => [
    `read it as config.${name} in a service (from its deps), or app.config.${name} in a plugin`,
    ...(fallback === undefined ? [`set ${name} in .env for local runs and in every deployment`] : []),
    'npm run typecheck && npm test',
  ],
});
