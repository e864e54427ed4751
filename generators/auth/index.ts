import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineGenerator } from '../../src/engine/generator.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import { type Placed, renderTemplate, renderTemplates } from '../../src/engine/templates.js';
import { resourceNames } from '../../src/naming/spellings.js';
import { manifestChanged, readManifest } from '../../src/project/manifest.js';
import { serviceProblem } from '../../src/project/service.js';
import { envDeclares, envNameProblem, envVariableFiles } from '../env/index.js';
import { ACCESS_WORDS } from '../route/access.js';
import { schemaFile } from '../route/checks.js';
import { parseFields } from '../route/fields.js';
import { resourceModelIn } from '../route/resource-model-in.js';
import { authModel, packageJsonWith, type Setting, settingFiles } from './auth-files.js';
import { authProblemsOfOlderService } from './older-service.js';

/** The versions the generated auth code is written and tested against. */
const DEPENDENCIES = { '@node-rs/argon2': '2.2.1', jose: '6.2.18' };
const ROLE = /^[a-z][a-z0-9_]*$/;
// `anonymous` is how a generated test sends a request with no token.
const NOT_ROLES: readonly string[] = [...ACCESS_WORDS, 'anonymous'];
/** The route template that tests who may use a resource, written for each resource auth finds. */
const ACCESS_TEST_TEMPLATE = 'test/resource-access.test.ts.hbs';

function rolesProblem(value: string): string | undefined {
  const roles = parseRoles(value);
  const bad = roles.filter((role) => !ROLE.test(role));
  if (roles.length === 0) return 'name at least one role, e.g. user,admin';
  if (bad.length > 0) {
    return `${bad.map((role) => `"${role}"`).join(', ')}: a role is lower-case letters, digits and _, starting with a letter (e.g. member,staff,admin)`;
  }
  const reserved = roles.filter((role) => NOT_ROLES.includes(role));
  if (reserved.length > 0) {
    return `${reserved.join(', ')}: these words mean something else in access rules (${NOT_ROLES.join(', ')}); choose other role names`;
  }
  const repeated = roles.filter((role, index) => roles.indexOf(role) !== index);
  return repeated.length > 0 ? `${[...new Set(repeated)].join(', ')} named twice` : undefined;
}

const parseRoles = (value: string): string[] =>
  value
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);

interface AuthOptions {
  roles: string[];
  /** The environment variable holding the signing secret. */
  secret: string;
}

/** The settings auth adds beside the signing secret, each with a default. */
const SETTINGS: readonly Setting[] = [
  {
    name: 'ACCESS_TOKEN_TTL',
    description: 'How long an access token is accepted; a shorter time makes revocations take effect sooner',
    type: 'duration',
    fallback: '15m',
  },
  {
    name: 'REFRESH_TOKEN_DAYS',
    description: 'Days a sign-in lasts without being refreshed',
    type: 'integer(1,365)',
    fallback: '30',
  },
  {
    name: 'AUTH_REGISTRATION',
    description:
      'open: anyone may create an account with a password at POST /auth/register; closed: only npm run user:create makes them',
    type: 'enum(open,closed)',
    fallback: 'open',
  },
  {
    name: 'AUTH_RATE_LIMIT_MAX',
    description: 'Requests a minute each client may make to register, login, refresh, logout and password, together',
    type: 'integer(1,1000000)',
    fallback: '10',
  },
];

/** The settings auth adds to src/config/env.ts, .env.example, the README and the tests' environment. */
function settings(root: string, secret: string): Placed[] {
  return [
    ...envVariableFiles(root, {
      name: secret,
      description: 'Key that signs access tokens: at least 32 random characters (openssl rand -base64 48 makes one)',
      zod: "z.string().min(32, 'must be at least 32 characters (openssl rand -base64 48 makes one)').refine((value) => new Set(value).size >= 16, 'is too simple to guess hard: use random characters (openssl rand -base64 48)')",
      secret: true,
      required: true,
      exampleValue: '',
      testValue: 'tests-sign-with-this-key-0123456789-abcdefghijklmnopqrstuvwxyz',
    }),
    ...settingFiles(root, SETTINGS),
  ];
}

/** Tests of who may use each resource the service has already, under the default rule. */
function accessTests(root: string, roles: string[]): Placed[] {
  const manifest = { ...readManifest(root), auth: { roles } };
  return Object.entries(manifest.resources).flatMap(([resource, spec]) =>
    renderTemplates('route', {
      ...resourceModelIn(root, resourceNames(resource), parseFields(spec), {}, manifest),
    }).filter((file) => file.source === ACCESS_TEST_TEMPLATE),
  );
}

export const authGenerator = defineGenerator<AuthOptions>({
  name: 'auth',
  description:
    'Users, sign-in with JWT access tokens and rotating refresh tokens, roles, and a signed-in user required by every route not marked otherwise',
  inputs: [
    {
      name: 'roles',
      message: 'Roles, comma separated (a new account gets the first)',
      description:
        "The roles a user may have, comma separated; a new account gets the first. Access rules (route --access) name them; list the role that may do most last, it is the one the README's first administrator gets",
      default: 'user,admin',
      validate: rolesProblem,
      examples: ['user,admin', 'member,staff,admin'],
    },
    {
      name: 'secret',
      message: 'Environment variable holding the token signing secret',
      description:
        'The environment variable holding the secret that signs access tokens (at least 32 characters, checked at start-up)',
      default: 'JWT_SECRET',
      validate: envNameProblem,
      examples: ['JWT_SECRET', 'AUTH_SECRET'],
    },
  ],
  handEdits:
    "Then give each resource its access rule when you generate it (route --access, --owned) or later (npx plop access): never check roles or owners by hand in a route or a service. Rules about a user beyond that (a member may borrow at most 3 books) go in the resource's service, which gets the user's id from the route. The first administrator: `npm run user:create -- --email <email> --role <role>` with the password on stdin.",
  examples: [{ roles: 'user,admin' }],
  normalize: (answers) => ({ roles: parseRoles(answers.roles ?? ''), secret: answers.secret ?? 'JWT_SECRET' }),
  root: (_options, context) => context.destBasePath,
  preflight({ secret }, context) {
    const root = context.destBasePath;
    const notAService = serviceProblem(root);
    if (notAService !== undefined) return [notAService];
    if (readManifest(root).auth !== undefined || existsSync(join(root, 'src', 'plugins', 'auth.ts'))) {
      return ['auth is installed in this service already (src/plugins/auth.ts); it is installed once'];
    }
    const problems = authProblemsOfOlderService(root);
    if (existsSync(schemaFile(root, 'users'))) {
      problems.push(
        'this service has a users table already (src/db/schema/users.ts), and auth makes its own; rename that resource (or remove it) first',
      );
    }
    for (const name of [secret, ...SETTINGS.map((setting) => setting.name)]) {
      if (envDeclares(root, name))
        problems.push(`${name} is already defined in src/config/env.ts, and auth declares it`);
    }
    return problems;
  },
  render: ({ roles, secret }, context) => {
    const root = context.destBasePath;
    return [
      ...renderTemplates('auth', authModel(root, { roles, secret })),
      // The auth service is built from the deps every service is, which the first resource would write.
      renderTemplate('route', 'src/services/deps.ts.hbs', {}),
      ...settings(root, secret),
      ...accessTests(root, roles),
      packageJsonWith(root, {
        scripts: { 'user:create': 'tsx scripts/users.ts create', 'user:role': 'tsx scripts/users.ts role' },
        dependencies: DEPENDENCIES,
      }),
      manifestChanged(root, (manifest) => ({ ...manifest, auth: { roles, secret } })),
    ];
  },
  migration: () => ({ name: 'create_users_and_sessions', allowNoChange: false }),
  async afterApply({ secret }, context) {
    // A key for local runs, so the service starts at once; .env is never committed.
    const dotEnv = join(context.destBasePath, '.env');
    const current = existsSync(dotEnv) ? readFileSync(dotEnv, 'utf8') : '';
    if (!new RegExp(`^${secret}=`, 'm').test(current)) {
      const separator = current === '' || current.endsWith('\n') ? '' : '\n';
      // Readable by its owner only, like the embedded database's files: it holds a secret.
      appendFileSync(dotEnv, `${separator}${secret}=${randomBytes(48).toString('base64')}\n`, { mode: 0o600 });
    }
    return [];
  },
  nextSteps: ({ roles, secret }, context) => [
    'npm install',
    ...openResources(context.destBasePath),
    'npm run typecheck && npm test',
    `set ${secret} in every deployment (openssl rand -base64 48); .env has one for local runs`,
    `printf '%s' "$PASSWORD" | npm run user:create -- --email <email> --role ${roles.at(-1)}`,
    MIGRATE_STEP,
  ],
});

/** What to run for the resources the service has already, which now need a signed-in user. */
function openResources(root: string): string[] {
  const resources = Object.keys(readManifest(root).resources);
  return resources.length === 0
    ? []
    : [
        `${resources.join(', ')} now need a signed-in user for everything; to open reads or limit writes: npx plop access ${resources[0]} "read:public write:<role>"`,
      ];
}
