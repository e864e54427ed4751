import { defineGenerator } from '../../src/engine/generator.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import { readManifest } from '../../src/project/manifest.js';
import { packageName } from '../../src/project/service.js';
import { authChanged, authGrowthProblems, type Setting, settingFiles } from '../auth/auth-files.js';
import { envDeclares } from '../env/index.js';

const PREFIX = /^[a-z][a-z0-9]{1,11}$/;

const SETTINGS: readonly Setting[] = [
  {
    name: 'API_KEY_DAYS',
    description: 'Days a new API key works when its request does not say (at most 365)',
    type: 'integer(1,365)',
    fallback: '90',
  },
];

/** A prefix made from the service's name: `books-api` gives `booksapi`. */
function defaultPrefix(root: string): string {
  const letters = (packageName(root) ?? '')
    .replace(/^@[^/]*\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^[0-9]+/, '');
  return letters.length >= 2 ? letters.slice(0, 12) : 'key';
}

interface ApiKeysOptions {
  prefix: string;
}

export const apiKeysGenerator = defineGenerator<ApiKeysOptions>({
  name: 'api-keys',
  description:
    "API keys for machine clients: made by a signed-in user, shown once, stored as hashes, scoped in the access rules' words (<resource>:read|write|list|get|create|update|delete), with expiry, revocation and last use; sent as X-Api-Key or Authorization: Bearer",
  inputs: [
    {
      name: 'prefix',
      message: 'Prefix every key starts with (lower-case letters and digits)',
      description:
        "What every key starts with, before an underscore (books-api's keys look like booksapi_0f3a..._...), so people and secret scanners tell them at sight; made from the package name when left out",
      default: (_answers, context) => defaultPrefix(context.destBasePath),
      validate: (value) =>
        PREFIX.test(value)
          ? undefined
          : `"${value}" is not a key prefix: 2 to 12 lower-case letters and digits, starting with a letter (e.g. booksapi)`,
      examples: ['booksapi'],
    },
  ],
  handEdits:
    "Nothing to write: a key acts as the user who made it (their role and ownership rules) within its scopes, in the access rules' words: <resource>:read (list, get), <resource>:write (create, update, delete) or one action (devices:update), where the resource is the first path segment of a route and a row's actions count as update. A route needs no change to take keys. Keys never reach /auth (accounts and keys are managed by a signed-in user).",
  examples: [{}],
  normalize: (answers) => ({ prefix: answers.prefix ?? 'key' }),
  root: (_options, context) => context.destBasePath,
  preflight(_options, context) {
    const root = context.destBasePath;
    const problems = authGrowthProblems(root, 'api-keys');
    if (problems.length > 0) return problems;
    if (readManifest(root).auth?.apiKeys !== undefined) {
      return ['api-keys is installed in this service already (src/auth/api-keys.ts); it is installed once'];
    }
    return SETTINGS.filter((setting) => envDeclares(root, setting.name)).map(
      (setting) => `${setting.name} is already defined in src/config/env.ts, and api-keys declares it`,
    );
  },
  render: async ({ prefix }, context) => {
    const root = context.destBasePath;
    return [
      ...(await authChanged(root, (auth) => ({ ...auth, apiKeys: { prefix } }), 'adding API keys')),
      ...settingFiles(root, SETTINGS),
    ];
  },
  migration: () => ({ name: 'create_api_keys', allowNoChange: false }),
  nextSteps: () => [
    'npm run typecheck && npm test',
    'a signed-in user makes a key: POST /auth/api-keys { "name": "nightly export", "scopes": ["books:read"] }; the answer holds the key, once',
    MIGRATE_STEP,
  ],
});
