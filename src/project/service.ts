import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The same refusal for every generator that needs a generated service around it. */
export function serviceProblem(root: string): string | undefined {
  return existsSync(join(root, 'src', 'db', 'schema', 'index.ts'))
    ? undefined
    : `${root} is not a backend-dev-kit service (it has no src/db/schema/index.ts); run this inside a service made by \`npx plop service <dir>\``;
}

export interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export const readPackageJson = (root: string) =>
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** The service's package name; undefined where there is no package.json (not a service). */
export const packageName = (root: string): string | undefined =>
  existsSync(join(root, 'package.json')) ? readPackageJson(root).name : undefined;
