import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFiles } from '../../src/engine/format.js';
import { type Placed, renderTemplates } from '../../src/engine/templates.js';
import {
  type AuthSpec,
  databaseContext,
  databaseOf,
  manifestChanged,
  readManifest,
  sortedByKey,
} from '../../src/project/manifest.js';
import { type PackageJson, packageName, readPackageJson, serviceProblem } from '../../src/project/service.js';
import { parseEnvType } from '../env/env-types.js';
import { envVariable, envVariableFiles } from '../env/index.js';
import { mergedFiles } from '../route/merge-resource.js';

/** A setting with a default, as auth and its additions declare them. */
export interface Setting {
  name: string;
  description: string;
  type: string;
  fallback: string;
}

/** The files that declare settings with defaults: src/config/env.ts, .env.example, the README, the tests' environment. */
export function settingFiles(root: string, settings: readonly Setting[]): Placed[] {
  return settings.flatMap(({ type, ...setting }) => {
    const parsed = parseEnvType(type);
    if (typeof parsed === 'string') throw new Error(`${setting.name}: ${parsed}`);
    return envVariableFiles(root, envVariable({ ...setting, type: parsed, secret: false }));
  });
}

/** The service's package.json with these scripts and (pinned) libraries added. */
export function packageJsonWith(
  root: string,
  added: Pick<PackageJson, 'scripts' | 'dependencies' | 'devDependencies'>,
): Placed {
  const pkg = readPackageJson(root);
  const content = {
    ...pkg,
    scripts: { ...pkg.scripts, ...added.scripts },
    dependencies: sortedByKey({ ...pkg.dependencies, ...added.dependencies }),
    ...(pkg.devDependencies === undefined && added.devDependencies === undefined
      ? {}
      : { devDependencies: sortedByKey({ ...pkg.devDependencies, ...added.devDependencies }) }),
  };
  return {
    source: 'package.json',
    action: 'replace',
    path: 'package.json',
    content: `${JSON.stringify(content, null, 2)}\n`,
  };
}

// Services whose auth predates the manifest's `secret` name it only in the token module.
function signingSecret(root: string, spec: AuthSpec): string {
  if (spec.secret !== undefined) return spec.secret;
  const tokens = join(root, 'src', 'auth', 'tokens.ts');
  const named = existsSync(tokens)
    ? /Pick<Env, '([A-Z][A-Z0-9_]*)'/.exec(readFileSync(tokens, 'utf8'))?.[1]
    : undefined;
  return named ?? 'JWT_SECRET';
}

/** Google's issuer: it names the Workspace an account belongs to in the ID token's `hd`. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** `google` → `GOOGLE`: the start of a provider's variables (GOOGLE_CLIENT_ID). */
export const providerEnvPrefix = (name: string): string => name.toUpperCase();

/** What keeps auth from growing in this service (api-keys, auth-provider), by name. */
export function authGrowthProblems(root: string, what: string): string[] {
  const notAService = serviceProblem(root);
  if (notAService !== undefined) return [notAService];
  if (readManifest(root).auth === undefined) {
    return [`${what} needs users to belong to: run npx plop auth first (it adds users, sign-in and roles)`];
  }
  if (!existsSync(join(root, 'src', 'auth', 'security-schemes.ts'))) {
    return [
      `this service's auth predates ${what} (src/auth/security-schemes.ts is missing): copy src/auth/, src/plugins/auth.ts and the openapi.ts components line from a service this version writes (npx backend-dev-kit service <scratch-dir> && npx backend-dev-kit auth), then run this again`,
    ];
  }
  return [];
}

/** What the auth templates are rendered from: the manifest's auth, spelled out. */
export function authModel(root: string, spec: AuthSpec): Record<string, unknown> {
  const database = databaseOf(readManifest(root));
  const providers = Object.entries(spec.providers ?? {}).map(([name, provider]) => ({
    name,
    env: providerEnvPrefix(name),
    // An address at the company's domain alone can be a personal Google account.
    hostedDomain: provider.issuer === GOOGLE_ISSUER,
    ...provider,
  }));
  return {
    roles: spec.roles,
    firstRole: spec.roles[0],
    lastRole: spec.roles.at(-1),
    // MySQL and SQLite store a role as its position among them, which a CHECK keeps in range.
    lastRoleIndex: spec.roles.length - 1,
    secret: signingSecret(root, spec),
    // The package name is the access tokens' issuer.
    name: packageName(root) ?? 'service',
    apiKeys: spec.apiKeys !== undefined,
    apiKeyPrefix: spec.apiKeys?.prefix ?? '',
    hasProviders: providers.length > 0,
    providers,
    db: databaseContext(database),
    // The database's clock, as the services' SQL reads it.
    dbNow: database === 'postgres' ? 'sql`now()`' : 'nowMs',
  };
}

/**
 * Auth's files changed from what the manifest's auth generates now to what `change` makes
 * of it, keeping hand edits (a three-way merge), with the files only the new auth has
 * (its own modules, and the lines it adds to shared ones), and the manifest written.
 */
export async function authChanged(root: string, change: (spec: AuthSpec) => AuthSpec, what: string): Promise<Placed[]> {
  const manifest = readManifest(root);
  if (manifest.auth === undefined) throw new Error('auth is not installed');
  const after = change(manifest.auth);
  const old = renderTemplates('auth', authModel(root, manifest.auth));
  const next = renderTemplates('auth', authModel(root, after));
  const owned = async (files: Placed[]) =>
    formatFiles(
      new Map(files.filter((file) => file.action === 'create').map((file) => [file.path, file.content])),
      root,
    );
  const gone = (path: string) =>
    `${path} is gone, and auth wrote it; restore it (git checkout -- ${path}) before ${what}`;
  const added = next.filter((file) => file.action !== 'create' && !old.some((before) => before.source === file.source));
  return [
    ...(await mergedFiles(root, await owned(old), await owned(next), what, gone)),
    ...added,
    manifestChanged(root, (current) => ({ ...current, auth: after })),
  ];
}
