import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineGenerator } from '../../src/engine/generator.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import type { Placed } from '../../src/engine/templates.js';
import { quote } from '../../src/naming/literals.js';
import { readManifest } from '../../src/project/manifest.js';
import {
  authChanged,
  authGrowthProblems,
  GOOGLE_ISSUER,
  packageJsonWith,
  providerEnvPrefix,
  type Setting,
  settingFiles,
} from '../auth/auth-files.js';
import { envDeclares, envVariableFiles } from '../env/index.js';

/** The versions the generated sign-in code is written and tested against. */
// @fastify/cookie 11.1.1 and later need cookie 2, which needs Node 22.
const DEPENDENCIES = { '@fastify/cookie': '11.1.0', 'openid-client': '6.9.0' };
const DEV_DEPENDENCIES = { 'oauth2-mock-server': '8.2.3' };

const NAME = /^[a-z][a-z0-9]{1,29}$/;

/** Providers whose issuer is known, so `--issuer` may be left out. */
const KNOWN_ISSUERS: Readonly<Record<string, string>> = {
  google: GOOGLE_ISSUER,
  gitlab: 'https://gitlab.com',
};

/** Providers that do not speak OpenID Connect, and what to use instead. */
const NOT_OPENID: Readonly<Record<string, string>> = {
  github:
    'GitHub sign-in is OAuth 2.0 without OpenID Connect: it issues no ID token, so neither the nonce nor a verified-email claim can be checked the way this flow checks them. Use an OpenID Connect provider that fronts GitHub (Auth0, Keycloak, Dex, Okta) with --issuer',
  facebook:
    'Facebook Login is not a standard OpenID Connect authorization-code provider; put an identity broker that speaks OpenID Connect (Auth0, Keycloak) in front of it and name its --issuer',
};

// The flow checks the provider's answers over TLS; plain http is for a test's server on this machine.
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

function issuerProblem(value: string): string | undefined {
  if (!URL.canParse(value))
    return `"${value}" is not a URL: give the provider's issuer, e.g. https://accounts.google.com`;
  if (!value.startsWith('https://') && !LOOPBACK.test(value)) {
    return `"${value}": an issuer must be https (http only on 127.0.0.1 or localhost, for a test server)`;
  }
  return undefined;
}

function nameProblem(value: string): string | undefined {
  if (!NAME.test(value)) {
    return `"${value}" is not a provider name: 2 to 30 lower-case letters and digits, starting with a letter (e.g. google, okta, acme)`;
  }
  return NOT_OPENID[value];
}

const REDOCLY = 'redocly.yaml';
const REDIRECT_RULE = 'rule/operation-success-or-redirect';

/**
 * redocly.yaml with Redocly's "a 2XX answer" rule widened to 3XX: the start of a sign-in
 * answers only with a redirect, which is its success.
 */
function redoclyConfig(root: string): Placed[] {
  const file = join(root, REDOCLY);
  if (!existsSync(file)) return [];
  const current = readFileSync(file, 'utf8');
  if (current.includes(REDIRECT_RULE)) return [];
  const rule = `  # A sign-in with a provider starts with a redirect (302), which is that operation's success;
  # Redocly's operation-2xx-response counts 2XX only, so this rule stands in for it.
  operation-2xx-response: off
  ${REDIRECT_RULE}:
    subject:
      type: Responses
    message: Every operation must have a 2XX or 3XX response.
    severity: error
    assertions:
      requireAny: ["200", "201", "202", "204", "302", "303", "307"]
`;
  const separator = current.endsWith('\n') ? '' : '\n';
  return [{ source: 'redocly', action: 'replace', path: REDOCLY, content: `${current}${separator}${rule}` }];
}

const ERRORS_PLUGIN = 'src/plugins/errors.ts';
const FIXED_RETRY_AFTER = "  if (body.status === 503) reply.header('retry-after', RETRY_AFTER_SECONDS);\n";

/**
 * src/plugins/errors.ts as services before this one wrote it set Retry-After on every 503,
 * over the minute a provider's route asks for: that line keeps a route's own now.
 */
function errorsPluginKeepsRetryAfter(root: string): Placed[] {
  const file = join(root, ERRORS_PLUGIN);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (!current.includes(FIXED_RETRY_AFTER)) return [];
  const kept =
    "  // A route that knows better (a provider down for a while) has set its own.\n  if (body.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', RETRY_AFTER_SECONDS);\n";
  return [
    { source: 'errors', action: 'replace', path: ERRORS_PLUGIN, content: current.replace(FIXED_RETRY_AFTER, kept) },
  ];
}

const PROVIDER_REGISTRATION: Setting = {
  name: 'AUTH_PROVIDER_REGISTRATION',
  description:
    'open: a first sign-in with a provider makes an account in the first role; closed: it only links to an account that has its verified email (AUTH_REGISTRATION governs password sign-ups alone)',
  type: 'enum(open,closed)',
  fallback: 'open',
};

interface ProviderOptions {
  name: string;
  issuer: string | undefined;
}

const ISSUER_ZOD = `z.url().refine((value) => value.startsWith('https://') || ${LOOPBACK.toString()}.test(value), 'must be https (http only on 127.0.0.1 or localhost)')`;

/** The provider's three variables, and PUBLIC_URL with the first provider. */
function settings(root: string, name: string, issuer: string, first: boolean): Placed[] {
  const prefix = providerEnvPrefix(name);
  return [
    ...(first && !envDeclares(root, 'PUBLIC_URL')
      ? envVariableFiles(root, {
          name: 'PUBLIC_URL',
          description:
            'The URL browsers reach this service at (e.g. https://api.example.com): providers send users back to <PUBLIC_URL>/auth/providers/<name>/callback',
          zod: "z.url().transform((value) => value.replace(/\\/+$/, '')).default('http://localhost:3000')",
          secret: false,
          required: false,
          exampleValue: 'http://localhost:3000',
          testValue: 'http://localhost:3000',
        })
      : []),
    ...(first && !envDeclares(root, 'AUTH_RETURN_URL')
      ? envVariableFiles(root, {
          name: 'AUTH_RETURN_URL',
          description:
            'Your web app page a browser returns to after signing in with a provider, with ?code= to trade once at POST /auth/providers/exchange (or ?error=); unset, the callback answers with the tokens as JSON',
          zod: 'z.url().optional()',
          secret: false,
          required: false,
          exampleValue: '',
          testValue: '',
        })
      : []),
    ...(first && !envDeclares(root, 'AUTH_PROVIDER_REGISTRATION') ? settingFiles(root, [PROVIDER_REGISTRATION]) : []),
    ...envVariableFiles(root, {
      name: `${prefix}_EMAIL_DOMAINS`,
      description: `Only accounts whose verified email is at one of these domains (comma separated, e.g. acme.com,acme.co.uk) sign in with ${name}${issuer === GOOGLE_ISSUER ? ", and for Google only accounts of those Workspaces (the ID token's hd claim)" : ''}; unset, any account ${name} verifies`,
      zod: "z.string().regex(/^[a-z0-9.-]+(,[a-z0-9.-]+)*$/i, 'must be domains separated by commas, e.g. acme.com,acme.co.uk').transform((value) => value.toLowerCase().split(',')).optional()",
      secret: false,
      required: false,
      exampleValue: '',
      testValue: '',
    }),
    ...envVariableFiles(root, {
      name: `${prefix}_ISSUER`,
      description: `${name}'s OpenID Connect issuer: its discovery document is <issuer>/.well-known/openid-configuration`,
      zod: `${ISSUER_ZOD}.default(${quote(issuer)})`,
      secret: false,
      required: false,
      exampleValue: issuer,
      testValue: issuer,
    }),
    ...envVariableFiles(root, {
      name: `${prefix}_CLIENT_ID`,
      description: `The client id ${name} gave this service when it was registered there (unset: sign-in with ${name} answers 503)`,
      zod: 'z.string().min(1).optional()',
      secret: false,
      required: false,
      exampleValue: '',
      testValue: `${name}-test-client`,
    }),
    ...envVariableFiles(root, {
      name: `${prefix}_CLIENT_SECRET`,
      description: `The client secret ${name} gave this service (never logged; unset: sign-in with ${name} answers 503)`,
      zod: 'z.string().min(1).optional()',
      secret: true,
      required: false,
      exampleValue: '',
      testValue: `${name}-test-client-secret`,
    }),
  ];
}

export const authProviderGenerator = defineGenerator<ProviderOptions>({
  name: 'auth-provider',
  description:
    "Sign-in with an OpenID Connect provider (authorization code with PKCE, state and nonce, through openid-client): links the provider's account to the user with its verified email or makes one, then issues the service's own tokens",
  inputs: [
    {
      name: 'name',
      message: 'Provider name (used in its routes and variables)',
      description: `The provider's name in its routes (/auth/providers/<name>) and variables (<NAME>_CLIENT_ID); ${Object.keys(KNOWN_ISSUERS).join(' and ')} know their issuer, any other OpenID Connect provider needs --issuer`,
      validate: nameProblem,
      examples: ['google', 'okta'],
    },
    {
      name: 'issuer',
      message: 'Issuer URL (leave empty for a provider whose issuer is known)',
      description:
        "The provider's OpenID Connect issuer URL, e.g. https://acme.okta.com or https://login.microsoftonline.com/<tenant>/v2.0; the default of <NAME>_ISSUER, which a deployment may change",
      optional: true,
      validate: issuerProblem,
      examples: ['https://acme.okta.com'],
    },
  ],
  handEdits:
    'Register <PUBLIC_URL>/auth/providers/<name>/callback as the redirect URI at the provider, and set <NAME>_CLIENT_ID and <NAME>_CLIENT_SECRET (and PUBLIC_URL). Nothing to write: a provider account signs in as the user with its verified email (linked then), or a new user in the first role while AUTH_PROVIDER_REGISTRATION is open (AUTH_REGISTRATION is for passwords alone). <NAME>_EMAIL_DOMAINS keeps sign-in to the company accounts (for Google, the Workspace). A machine client is not a provider user: it gets an API key (api-keys).',
  examples: [{ name: 'google' }],
  normalize: (answers) => ({ name: answers.name ?? '', issuer: answers.issuer }),
  root: (_options, context) => context.destBasePath,
  preflight({ name, issuer }, context) {
    const root = context.destBasePath;
    const problems = authGrowthProblems(root, 'auth-provider');
    if (problems.length > 0) return problems;
    if (readManifest(root).auth?.providers?.[name] !== undefined) {
      return [
        `${name} is a sign-in provider of this service already; to change its issuer, set ${providerEnvPrefix(name)}_ISSUER`,
      ];
    }
    if (issuer === undefined && KNOWN_ISSUERS[name] === undefined) {
      return [
        `${name} needs --issuer <url>, its OpenID Connect issuer (e.g. https://acme.okta.com, https://login.microsoftonline.com/<tenant>/v2.0); only ${Object.keys(KNOWN_ISSUERS).join(' and ')} are known without one`,
      ];
    }
    return ['ISSUER', 'CLIENT_ID', 'CLIENT_SECRET']
      .map((suffix) => `${providerEnvPrefix(name)}_${suffix}`)
      .filter((variable) => envDeclares(root, variable))
      .map((variable) => `${variable} is already defined in src/config/env.ts, and auth-provider ${name} declares it`);
  },
  render: async ({ name, issuer }, context) => {
    const root = context.destBasePath;
    const chosen = issuer ?? KNOWN_ISSUERS[name] ?? '';
    const first = Object.keys(readManifest(root).auth?.providers ?? {}).length === 0;
    return [
      ...(await authChanged(
        root,
        (auth) => ({ ...auth, providers: { ...auth.providers, [name]: { issuer: chosen } } }),
        `adding the sign-in provider ${name}`,
      )),
      ...settings(root, name, chosen, first),
      packageJsonWith(root, { dependencies: DEPENDENCIES, devDependencies: DEV_DEPENDENCIES }),
      ...redoclyConfig(root),
      ...errorsPluginKeepsRetryAfter(root),
    ];
  },
  migration: ({ name }) => ({ name: `add_sign_in_provider_${name}`, allowNoChange: true }),
  nextSteps: ({ name }) => [
    'npm install',
    `at ${name}, register this redirect URI: <PUBLIC_URL>/auth/providers/${name}/callback (http://localhost:3000/auth/providers/${name}/callback for local runs)`,
    `set ${providerEnvPrefix(name)}_CLIENT_ID and ${providerEnvPrefix(name)}_CLIENT_SECRET in .env and in every deployment, and PUBLIC_URL where the service is not http://localhost:3000`,
    'npm run typecheck && npm test',
    MIGRATE_STEP,
  ],
});
