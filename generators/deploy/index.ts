import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineGenerator } from '../../src/engine/generator.js';
import { type Placed, renderTemplates } from '../../src/engine/templates.js';
import { type Database, databaseContext, databaseOf, readManifest } from '../../src/project/manifest.js';
import { packageName, serviceProblem } from '../../src/project/service.js';

/** A Docker image name from a package name: `@acme/billing` -> `acme-billing`. */
const imageName = (name: string) => name.replace(/^@/, '').replace('/', '-');

/**
 * The container, compose and CI files of a service named `name` on `database`. A service that
 * installs backend-dev-kit from vendor/ (made from a checkout of the pack) copies it in before `npm ci`.
 */
export function deployFiles(name: string, vendored: boolean, database: Database): Placed[] {
  return renderTemplates('deploy', { imageName: imageName(name), vendored, db: databaseContext(database) });
}

/** A file already as `deploy` would write it is left alone, so a second run changes nothing and refuses nothing. */
const notYetThere = (root: string) => (file: Placed) =>
  file.action !== 'create' ||
  !existsSync(join(root, file.path)) ||
  readFileSync(join(root, file.path), 'utf8') !== file.content;

const hasVendoredPack = (root: string) =>
  existsSync(join(root, 'vendor')) && readdirSync(join(root, 'vendor')).some((file) => file.endsWith('.tgz'));

export const deployGenerator = defineGenerator<Record<string, never>>({
  name: 'deploy',
  description:
    'The files that ship a service: a multi-stage Dockerfile, .dockerignore, compose.yaml (service, PostgreSQL or MariaDB, Redis, migrations; on SQLite the service alone, its file in a volume) and a GitHub Actions workflow; `service` writes them too. Files already as it would write them are left alone; one that differs is refused unless --force',
  inputs: [],
  handEdits:
    'Set the registry and deploy steps of your platform after the build step of .github/workflows/ci.yml; keep the migration a step of its own, run before the new version takes traffic (`node dist/cli/migrate.js`).',
  examples: [{}],
  normalize: () => ({}),
  root: (_options, context) => context.destBasePath,
  preflight: (_options, context) => [serviceProblem(context.destBasePath)].filter((problem) => problem !== undefined),
  render: (_options, { destBasePath: root }) =>
    deployFiles(packageName(root) ?? 'service', hasVendoredPack(root), databaseOf(readManifest(root))).filter(
      notYetThere(root),
    ),
  nextSteps: () => [
    'commit package-lock.json (npm ci in the image and in CI installs from it)',
    'docker build -t <name> . (where Docker runs)',
    'set REDIS_URL and TRUST_PROXY where several instances run',
  ],
});
