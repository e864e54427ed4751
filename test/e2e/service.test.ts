import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { createTestDatabase, serverUrl, skipReason } from '../support/postgres.js';
import { freePort, run, serverPid, startUntilHealthy, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm, packRoot, plop } from '../support/service.js';
import { unusedExports } from '../support/tree.js';

const work = mkdtempSync(join(tmpdir(), 'bdk-service-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The global setup generated (with stdin closed), installed and built the service.
const base = inject('baseService');

describe('npx plop service <dir>', () => {
  let service: string;
  beforeAll(async () => {
    service = await copyService(base.dir, 'service-under-test');
  });

  it('writes the service layout with stdin closed, and says what to run next', () => {
    expect(base.generation.stdout + base.generation.stderr).toMatch(/npm install[\s\S]*npm test[\s\S]*npm start/);
    for (const file of [
      'package.json',
      'tsconfig.json',
      'biome.json',
      '.gitignore',
      '.env.example',
      'README.md',
      'plopfile.js',
      'drizzle.config.ts',
      'src/server.ts',
      'src/app.ts',
      'src/config/env.ts',
      'src/db/client.ts',
      'src/db/schema/index.ts',
      'src/plugins/errors.ts',
      'test/health.test.ts',
    ]) {
      expect(existsSync(join(service, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(service, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('orders-service');
    expect(manifest.private).toBe(true);
    const version = JSON.parse(readFileSync(join(packRoot, 'package.json'), 'utf8')).version;
    expect(manifest.devDependencies['backend-dev-kit']).toBe(`file:vendor/backend-dev-kit-${version}.tgz`);
    expect(existsSync(join(service, `vendor/backend-dev-kit-${version}.tgz`))).toBe(true);
    expect(Object.keys(manifest.scripts)).toEqual(
      expect.arrayContaining([
        'dev',
        'start',
        'build',
        'test',
        'typecheck',
        'lint',
        'db:generate',
        'db:migrate',
        'db:seed',
        'db:studio',
      ]),
    );
    expect(readFileSync(join(service, '.gitignore'), 'utf8').split('\n')).toEqual(
      expect.arrayContaining(['node_modules/', 'dist/', '.data/', '.env']),
    );
  });

  it('installs on Node 20 with no engine, deprecation or install-script warning', () => {
    expect(base.installWarnings).toEqual([]);
  });

  it('is a git repository on main whose one commit holds every file it wrote', async () => {
    const git = (...args: string[]) => run('git', args, { cwd: base.dir });
    expect((await git('log', '--format=%s')).stdout.trim()).toBe('A new service from backend-dev-kit');
    expect((await git('branch', '--show-current')).stdout.trim()).toBe('main');
    // npm install ran after the commit: node_modules and package-lock.json are all it added.
    const untracked = (await git('status', '--porcelain', '--untracked-files=all')).stdout.trim().split('\n');
    expect(untracked.filter((line) => line !== '' && line !== '?? package-lock.json')).toEqual([]);
  });

  itPassesItsOwnChecks(() => service);

  it('moves: a clone of it elsewhere installs with npm ci, generates and passes its tests, with no path to the pack', async () => {
    const clone = join(work, 'cloned-service');
    expectSuccess(await run('git', ['clone', '--quiet', base.dir, clone], { cwd: work }), 'git clone');
    copyFileSync(join(base.dir, 'package-lock.json'), join(clone, 'package-lock.json'));
    expect(readFileSync(join(clone, 'package-lock.json'), 'utf8')).not.toContain(packRoot);
    expectSuccess(await npm(['ci', '--prefer-offline', '--no-audit', '--no-fund'], clone), 'npm ci in the clone');
    expectSuccess(
      await run('npx', ['plop', 'route', 'notes', 'text:text'], { cwd: clone, env: userEnv() }),
      'plop route',
    );
    expectSuccess(await npm(['test'], clone), 'npm test in the clone');
  });

  it('exports nothing that nothing imports', () => {
    expect(unusedExports(service)).toEqual([]);
  });

  it('npm test keeps a migrated copy of its database, and makes it again when the copy cannot be read', async () => {
    const cache = join(service, 'node_modules', '.cache', 'test-database');
    const archives = readdirSync(cache);
    expect(archives).toEqual([expect.stringMatching(/^[0-9a-f]{16}\.tar\.gz$/)]);
    const archive = join(cache, archives[0] ?? '');
    const isGzip = () =>
      readFileSync(archive)
        .subarray(0, 2)
        .equals(Buffer.from([0x1f, 0x8b]));
    expect(isGzip()).toBe(true);

    writeFileSync(archive, 'not an archive');
    expectSuccess(await npm(['test'], service), 'npm test with an unreadable copy');
    expect(readdirSync(cache)).toEqual(archives);
    expect(isGzip()).toBe(true);
  }, 120_000);

  it('npm start with no environment serves /healthz and /readyz on the embedded database; SIGTERM exits 0', async () => {
    // Port 3000 is the default; pass another only if something else holds it.
    const port = (await isFree(3000)) ? 3000 : await freePort();
    const env = port === 3000 ? userEnv() : userEnv({ PORT: String(port) });
    const server = await startUntilHealthy('npm', ['start'], {
      cwd: service,
      env,
      url: `http://127.0.0.1:${port}/healthz`,
      timeoutMs: 60_000,
    });
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(existsSync(join(service, '.data/pglite/PG_VERSION'))).toBe(true);
    } finally {
      // The signal goes to the server process itself, as a container runtime sends it;
      // npm then exits with the server's code.
      process.kill(serverPid(server.output()), 'SIGTERM');
      expect(await server.exited).toBe(0);
    }
  }, 120_000);

  it.skipIf(serverUrl === undefined)(
    'starts against a fresh database on a PostgreSQL server',
    async () => {
      const database = await createTestDatabase(service);
      try {
        const port = await freePort();
        const server = await startUntilHealthy('node', ['dist/server.js'], {
          cwd: service,
          env: userEnv({ PORT: String(port), DATABASE_URL: database.url, DB_MIGRATE_ON_START: 'true' }),
          url: `http://127.0.0.1:${port}/readyz`,
          timeoutMs: 30_000,
        });
        expect(await server.stop('SIGTERM')).toBe(0);
        const migrate = await npm(['run', 'db:migrate'], service, { DATABASE_URL: database.url });
        expectSuccess(migrate, 'npm run db:migrate');
      } finally {
        await database.drop();
      }
    },
    60_000,
  );
  if (serverUrl === undefined) skipReason('the service start');

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number from 0 to 65535'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
  ])('refuses to start with %o and names the variable', async (env, message) => {
    const result = await run('node', ['dist/server.js'], { cwd: service, env: userEnv(env) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });
});

describe('npx plop service options', () => {
  it('--name takes a scoped package name, and --agent false leaves the agent files out', async () => {
    const dir = join(work, 'billing');
    const result = await plop(['service', '--', '--dir', dir, '--name', '@acme/billing', '--agent', 'false']);
    expectSuccess(result, 'plop service --name @acme/billing --agent false');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).toBe('@acme/billing');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(/^# @acme\/billing$/m);
    for (const file of ['AGENTS.md', 'CLAUDE.md', '.claude']) expect(existsSync(join(dir, file)), file).toBe(false);
    expect(existsSync(join(dir, 'src/app.ts'))).toBe(true);
  });

  it('--git false leaves git alone; inside another repository the service is left to it', async () => {
    const plain = join(work, 'no-git');
    expectSuccess(await plop(['service', '--', '--dir', plain, '--git', 'false']), 'plop service --git false');
    expect(existsSync(join(plain, '.git'))).toBe(false);
    const monorepo = join(work, 'monorepo');
    mkdirSync(monorepo);
    expectSuccess(await run('git', ['init', '--quiet'], { cwd: monorepo }), 'git init');
    const inner = join(monorepo, 'services', 'billing');
    expectSuccess(await plop(['service', inner]), 'plop service inside a repository');
    expect(existsSync(join(inner, '.git'))).toBe(false);
    expect((await run('git', ['log'], { cwd: monorepo })).code).not.toBe(0);
  });
});

describe('npx plop in a service whose pack cannot be loaded', () => {
  it('exits 1 and says to run npm install, instead of exiting 0 with nothing done', async () => {
    const service = await copyService(base.dir, 'service-without-pack');
    rmSync(join(service, 'node_modules', 'backend-dev-kit'), { recursive: true, force: true });
    const result = await run('npx', ['plop', 'route', 'posts', 'title:string'], { cwd: service, env: userEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot load the backend-dev-kit generators');
    expect(result.stderr).toContain('npm install');
    expect(existsSync(join(service, 'src', 'routes', 'posts.ts'))).toBe(false);
  });
});

describe('npx plop service refuses bad input and writes nothing', () => {
  it('a non-empty directory, unless --force', async () => {
    const dir = join(work, 'occupied');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const refused = await plop(['service', dir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain(`${dir} is not empty`);
    expect(readdirSync(dir)).toEqual(['notes.txt']);

    const forced = await plop(['service', dir, '--force']);
    expectSuccess(forced, 'plop service --force');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'src/app.ts'))).toBe(true);
  });

  it('a name that is not a valid npm package name', async () => {
    const dir = join(work, 'bad-name');
    const refused = await plop(['service', '--', '--dir', dir, '--name', 'Bad Name']);
    expect(refused.code).not.toBe(0);
    const lines = refused.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"Bad Name" is not a valid npm package name');
    expect(existsSync(dir)).toBe(false);
  });

  it('a missing directory, without waiting for input', async () => {
    const refused = await plop(['service']);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('missing required input "dir"');
  });
});

function isFree(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => false,
    () => true,
  );
}
