import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFiles } from '../../src/engine/format.js';
import { type Placed, renderTemplates } from '../../src/engine/templates.js';
import { type AuthSpec, manifestChanged, readManifest } from '../../src/project/manifest.js';
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

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readPackageJson = (root: string) => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

const packageName = (root: string): string => readPackageJson(root).name ?? 'service';

const sorted = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** The service's package.json with these scripts and (pinned) libraries added. */
export function packageJsonWith(
  root: string,
  added: Pick<PackageJson, 'scripts' | 'dependencies' | 'devDependencies'>,
): Placed {
  const pkg = readPackageJson(root);
  const content = {
    ...pkg,
    scripts: { ...pkg.scripts, ...added.scripts },
    dependencies: sorted({ ...pkg.dependencies, ...added.dependencies }),
    ...(pkg.devDependencies === undefined && added.devDependencies === undefined
      ? {}
      : { devDependencies: sorted({ ...pkg.devDependencies, ...added.devDependencies }) }),
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

/** What the auth templates are rendered from: the manifest's auth, spelled out. */
export function authModel(root: string, spec: AuthSpec): Record<string, unknown> {
  const providers = Object.entries(spec.providers ?? {}).map(([name, provider]) => ({
    name,
    env: name.toUpperCase(),
    // Google says which Workspace an account belongs to in `hd`: an address at the company's
    // domain alone can be a personal Google account.
    hostedDomain: provider.issuer === 'https://accounts.google.com',
    ...provider,
  }));
  return {
    roles: spec.roles,
    firstRole: spec.roles[0],
    lastRole: spec.roles.at(-1),
    secret: signingSecret(root, spec),
    // The package name is the access tokens' issuer.
    name: packageName(root),
    apiKeys: spec.apiKeys !== undefined,
    apiKeyPrefix: spec.apiKeys?.prefix ?? '',
    hasProviders: providers.length > 0,
    providers,
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
