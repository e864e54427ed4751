import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { createTestDatabase, serverUrl, skipReason } from '../support/postgres.js';
import { freePort, run, serverPid, startUntilHealthy, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm, withServer } from '../support/service.js';
import { snapshot } from '../support/tree.js';

const SECRET = 'sk_live_51HxQmZ2eZvKYlo2C9s7';
const REQUIRED = { PAYMENT_API_KEY: SECRET, REGION: 'eu' };

const base = inject('baseService');
let service: string;
const plop = (args: string[]) => run('npx', ['plop', ...args], { cwd: service, env: userEnv() });
const dataDir = () => join(service, '.data', 'lifetime');

beforeAll(async () => {
  service = await copyService(base.dir, 'change-under-test');
  expectSuccess(await plop(['route', 'users', 'email:email:unique name:string']), 'plop route users');
  expectSuccess(await plop(['route', 'posts', 'title:string:unique author:references(users)']), 'plop route posts');
});

describe('changing a live service', () => {
  it('rows created before `plop field` survive it, and get the new defaults', async () => {
    const created = await withServer(service, { ...REQUIRED, DATABASE_URL: dataDir() }, async (url) => {
      const user = await send(url, 'POST', '/users', { email: 'early@example.com', name: 'Early' });
      return send(url, 'POST', '/posts', { title: 'Before the change', authorId: user.id });
    });

    expectSuccess(
      await plop(['field', 'posts', 'summary:text? rating:integer=5 tier:enum(free,paid)=free']),
      'plop field',
    );

    await withServer(service, { ...REQUIRED, DATABASE_URL: dataDir() }, async (url) => {
      const post = await send(url, 'GET', `/posts/${created.id}`);
      expect(post).toMatchObject({ title: 'Before the change', summary: null, rating: 5, tier: 'free' });
    });
  });

  it('adds configuration variables, required, defaulted and secret', async () => {
    for (const args of [
      ['--name', 'PAYMENT_API_KEY', '--description', 'Key for the payment provider', '--secret'],
      ['--name', 'REGION', '--description', 'Where the service runs', '--type', 'enum(eu,us)'],
      [
        '--name',
        'CACHE_TTL',
        '--description',
        'How long lists may be cached',
        '--type',
        'duration',
        '--default',
        '30s',
      ],
    ]) {
      expectSuccess(await plop(['env', '--', ...args]), `plop env ${args[1]}`);
    }
    const example = readFileSync(join(service, '.env.example'), 'utf8');
    expect(example).toMatch(/^PAYMENT_API_KEY=$/m);
    expect(example).toMatch(/^CACHE_TTL=30s$/m);
    expect(readFileSync(join(service, 'src/config/env.ts'), 'utf8')).toContain("'PAYMENT_API_KEY',");
    const readme = readFileSync(join(service, 'README.md'), 'utf8');
    expect(readme).toContain('- `PAYMENT_API_KEY` (secret, required): Key for the payment provider');
    expect(readme).toContain('- `CACHE_TTL` (default `30s`): How long lists may be cached');
  });

  it('adds variables of every other type, each parsed from its default and refused when wrong', async () => {
    const added = [
      ['GREETING', 'string', 'hello'],
      ['WEBHOOK_URL', 'url', 'https://example.com/hook'],
      ['BATCH_SIZE', 'integer', '50'],
      ['RETRIES', 'integer(0,5)', '3'],
      ['ADMIN_PORT', 'port', '9090'],
      ['FEATURE_FLAG', 'boolean', 'false'],
    ];
    for (const [name = '', type = '', value = ''] of added) {
      const args = ['--name', name, '--description', `The ${name}`, '--type', type, '--default', value];
      expectSuccess(await plop(['env', '--', ...args]), `plop env ${name}`);
    }
    const example = readFileSync(join(service, '.env.example'), 'utf8');
    for (const [name, , value] of added) expect(example).toContain(`${name}=${value}`);

    expectSuccess(await npm(['run', 'build'], service), 'npm run build');
    const result = await run('node', ['dist/server.js'], {
      cwd: service,
      env: userEnv({
        ...REQUIRED,
        PORT: String(await freePort()),
        WEBHOOK_URL: 'not a url',
        BATCH_SIZE: '1.5',
        RETRIES: '9',
        ADMIN_PORT: '70000',
        FEATURE_FLAG: 'perhaps',
      }),
    });
    expect(result.code).toBe(1);
    for (const name of ['WEBHOOK_URL', 'BATCH_SIZE', 'RETRIES', 'ADMIN_PORT', 'FEATURE_FLAG']) {
      expect(result.stderr).toContain(`${name}: `);
    }
    expect(result.stderr).not.toContain('GREETING');
  });

  it('adds a custom SQL migration to write by hand', async () => {
    const result = await plop(['migration', '--', '--name', 'backfill_ratings', '--custom']);
    expectSuccess(result, 'plop migration --custom');
    const file = readdirSync(join(service, 'drizzle')).find((name) => name.endsWith('_backfill_ratings.sql'));
    expect(file).toBeDefined();
    appendFileSync(join(service, 'drizzle', file ?? ''), '\nUPDATE "posts" SET "rating" = 1 WHERE "rating" IS NULL;\n');
  });

  it('two runs at once both land: they take turns, each with its own migration', async () => {
    const cli = (name: string) =>
      run('npx', ['backend-dev-kit', 'route', '--name', name, '--fields', 'label:string', '--json'], {
        cwd: service,
        env: userEnv(),
      });
    const results = await Promise.all([cli('tags'), cli('labels')]);
    for (const result of results) expectSuccess(result, 'backend-dev-kit route at once');
    const journal = readFileSync(join(service, 'drizzle/meta/_journal.json'), 'utf8');
    const migrations = readdirSync(join(service, 'drizzle')).filter((name) => /_create_(tags|labels)\.sql$/.test(name));
    expect(migrations).toHaveLength(2);
    for (const migration of migrations) {
      expect(journal).toContain(`"${migration.replace(/\.sql$/, '')}"`);
      // Each creates its own table only: the second run planned against the first's files.
      expect(readFileSync(join(service, 'drizzle', migration), 'utf8').match(/CREATE TABLE/g)).toHaveLength(1);
    }
    const schemaIndex = readFileSync(join(service, 'src/db/schema/index.ts'), 'utf8');
    expect(schemaIndex).toContain("export * from './tags.js';");
    expect(schemaIndex).toContain("export * from './labels.js';");
  });

  it('route --force with a new optional field alters the table, in a migration named for the change, keeping hand edits', async () => {
    const rule =
      "\n/** Written by hand, where the agent file says rules go. */\nexport const RESERVED_HANDLES = ['admin', 'root'];\n";
    appendFileSync(join(service, 'src/services/users.ts'), rule);
    expectSuccess(
      await plop(['route', 'users', 'email:email:unique name:string handle:string?', '--force']),
      'plop route users --force',
    );
    const migration = readdirSync(join(service, 'drizzle')).find((name) => name.endsWith('_change_users.sql'));
    expect(readFileSync(join(service, 'drizzle', migration ?? 'missing'), 'utf8')).toBe(
      'ALTER TABLE "users" ADD COLUMN "handle" varchar(255);\n',
    );
    const services = readFileSync(join(service, 'src/services/users.ts'), 'utf8');
    expect(services).toContain("export const RESERVED_HANDLES = ['admin', 'root'];");
    expect(services).toContain('handle');
  });

  itPassesItsOwnChecks(() => service);

  it('the migrations apply in order to a fresh embedded database; applying them again is a no-op', async () => {
    const env = { DATABASE_URL: join(service, '.data', 'fresh') };
    const first = await npm(['run', 'db:migrate'], service, env);
    expectSuccess(first, 'db:migrate');
    expectSuccess(await npm(['run', 'db:migrate'], service, env), 'db:migrate again');
  });

  it.skipIf(serverUrl === undefined)(
    'the migrations apply in order to a fresh PostgreSQL database, once each',
    async () => {
      const database = await createTestDatabase(service);
      try {
        const env = { DATABASE_URL: database.url };
        expectSuccess(await npm(['run', 'db:migrate'], service, env), 'db:migrate');
        expectSuccess(await npm(['run', 'db:migrate'], service, env), 'db:migrate again');
        const migrations = readdirSync(join(service, 'drizzle')).filter((file) => file.endsWith('.sql'));
        const applied = await run(
          'node',
          [
            '--input-type=module',
            '-e',
            "import postgres from 'postgres'; const sql = postgres(process.env.DATABASE_URL); const [row] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`; console.log(row.n); await sql.end();",
          ],
          { cwd: service, env: userEnv(env) },
        );
        expectSuccess(applied, 'count applied migrations');
        expect(Number(applied.stdout.trim())).toBe(migrations.length);
      } finally {
        await database.drop();
      }
    },
  );
  if (serverUrl === undefined) skipReason('migrations');

  it('refuses to start without its required variables, naming every one in one message', async () => {
    expectSuccess(await npm(['run', 'build'], service), 'npm run build');
    const result = await run('node', ['dist/server.js'], {
      cwd: service,
      env: userEnv({ PORT: String(await freePort()) }),
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Invalid configuration:');
    expect(result.stderr).toContain('PAYMENT_API_KEY: is required');
    expect(result.stderr).toContain('REGION: is required');
  });

  it('never writes the secret to a log line', async () => {
    const port = await freePort();
    const server = await startUntilHealthy('node', ['dist/server.js'], {
      cwd: service,
      env: userEnv({ ...REQUIRED, PORT: String(port), DATABASE_URL: 'memory://' }),
      url: `http://127.0.0.1:${port}/readyz`,
      timeoutMs: 60_000,
    });
    // A client that puts the key in a URL and a header: both are logged by the request logger.
    await fetch(`http://127.0.0.1:${port}/users?api_key=${SECRET}`, { headers: { authorization: `Bearer ${SECRET}` } });
    await fetch(`http://127.0.0.1:${port}/nowhere/${SECRET}`);
    process.kill(serverPid(server.output()), 'SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('[redacted]');
    expect(server.output()).not.toContain(SECRET);
  });
});

describe('refused changes write nothing', () => {
  it.each([
    [
      'env: a name that is not UPPER_SNAKE_CASE',
      ['env', '--', '--name', 'apiKey', '--description', 'x'],
      'is not UPPER_SNAKE_CASE',
    ],
    [
      'env: a name already defined',
      ['env', '--', '--name', 'REGION', '--description', 'x'],
      'REGION is already defined',
    ],
    ['env: a reserved name', ['env', '--', '--name', 'PATH', '--description', 'x'], '"PATH" is reserved'],
    [
      'env: a secret with a default',
      ['env', '--', '--name', 'TOKEN', '--description', 'x', '--secret', '--default', 'abc'],
      'a secret cannot have a default',
    ],
    [
      'env: an unknown type',
      ['env', '--', '--name', 'LIMIT_X', '--description', 'x', '--type', 'float'],
      'unknown type "float"',
    ],
    [
      'env: a default of the wrong type',
      ['env', '--', '--name', 'LIMIT_X', '--description', 'x', '--type', 'integer(1,10)', '--default', '50'],
      'must be a whole number from 1 to 10',
    ],
    ['field: a required field without a default', ['field', 'posts', 'score:integer'], 'give it a default'],
    [
      'field: a new unique field that is required',
      ['field', 'posts', 'slug:string:unique=x'],
      'a new unique field must be optional',
    ],
    ['field: an existing field', ['field', 'posts', 'title:text?'], 'already has a field "title"'],
    [
      'field: an unknown resource',
      ['field', 'gadgets', 'name:string?'],
      'there is no resource "gadgets" in this service (it has labels, posts, tags, users)',
    ],
    [
      'route --force: a field left out, which would drop its column',
      ['route', 'users', 'email:email:unique', '--force'],
      'generating users again without name, handle would drop their columns and the data in them',
    ],
    [
      'route --force: a new required field without a default',
      ['route', 'users', 'email:email:unique name:string handle:string? age:integer', '--force'],
      '"age:integer": the table may already have rows, which would have no age; give it a default',
    ],
    ['migration: no schema change', ['migration', 'nothing_changed'], 'nothing to migrate'],
    ['migration: a bad name', ['migration', 'Add Index'], 'must be snake_case'],
  ])('%s', async (_case, args, message) => {
    const before = snapshot(service);
    const result = await plop(args);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(message);
    expect(snapshot(service)).toEqual(before);
  });
});

describe('hand edits', () => {
  const servicesFile = () => join(service, 'src/services/users.ts');
  const schemaFile = () => join(service, 'src/db/schema/users.ts');

  it('`plop field` merges the new fields into files edited by hand, keeping the edits', async () => {
    const rule =
      '    /** Written by hand: how many users there are. */\n    async count(): Promise<number> {\n      return (await db.select().from(users)).length;\n    },\n\n';
    const edited = readFileSync(servicesFile(), 'utf8').replace(
      '    async get(id: string)',
      `${rule}    async get(id: string)`,
    );
    expect(edited).toContain('Written by hand');
    writeFileSync(servicesFile(), edited);

    expectSuccess(await plop(['field', 'users', 'nickname:string?']), 'plop field users');
    const merged = readFileSync(servicesFile(), 'utf8');
    expect(merged).toContain(rule);
    expect(merged).toContain("nickname: nullablePlaceholder('nickname', users.nickname)");
    expectSuccess(await npm(['run', 'typecheck'], service), 'npm run typecheck after the merge');
  });

  it('`plop field` writes everything when a hand edit is on the lines the new field goes into, leaves conflict markers there, names the file and exits 1', async () => {
    const original = readFileSync(servicesFile(), 'utf8');
    const line = "      nickname: nullablePlaceholder('nickname', users.nickname),";
    expect(original).toContain(line);
    const edit = `${line} // kept optional on purpose`;
    writeFileSync(servicesFile(), original.replace(line, edit));
    const migrations = readdirSync(join(service, 'drizzle')).length;
    const result = await run('npx', ['backend-dev-kit', 'field', 'users', 'motto:text?', '--json'], {
      cwd: service,
      env: userEnv(),
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: false, conflicts: ['src/services/users.ts'] });
    expect(report.errors[0]).toContain('conflict markers');
    // The table, its migration and every other file are written; only the conflict is left.
    expect(readFileSync(schemaFile(), 'utf8')).toContain("motto: text('motto')");
    expect(readdirSync(join(service, 'drizzle')).length).toBe(migrations + 1);
    const conflicted = readFileSync(servicesFile(), 'utf8');
    expect(conflicted).toContain(`<<<<<<< your edits\n${edit}`);
    expect(conflicted).toContain("motto: nullablePlaceholder('motto', users.motto),\n>>>>>>> generated now");
    // Resolved by keeping both sides, the service typechecks.
    writeFileSync(servicesFile(), conflicted.replace(/^(<<<<<<<|=======|>>>>>>>).*\n/gm, '').replace(`${line}\n`, ''));
    expectSuccess(await npm(['run', 'typecheck'], service), 'npm run typecheck after resolving');
  });

  it('`plop migration <name>` writes the SQL for a column added to a table by hand', async () => {
    const table = readFileSync(schemaFile(), 'utf8');
    writeFileSync(
      schemaFile(),
      table.replace(
        '    createdAt: timestamp(',
        "    legacyCode: varchar('legacy_code', { length: 40 }),\n    createdAt: timestamp(",
      ),
    );
    expectSuccess(await plop(['migration', 'add_legacy_code']), 'plop migration add_legacy_code');
    const file = readdirSync(join(service, 'drizzle')).find((name) => name.endsWith('_add_legacy_code.sql'));
    expect(readFileSync(join(service, 'drizzle', file ?? 'missing'), 'utf8')).toContain(
      'ALTER TABLE "users" ADD COLUMN "legacy_code" varchar(40);',
    );
  });

  it('`plop migration <name>` refuses when drizzle-kit would have to ask about a rename, and writes nothing', async () => {
    const table = readFileSync(schemaFile(), 'utf8');
    writeFileSync(schemaFile(), table.replaceAll('legacyCode', 'oldCode').replaceAll('legacy_code', 'old_code'));
    const before = snapshot(service);
    const result = await plop(['migration', 'rename_legacy_code']);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('drizzle-kit needs to ask whether a column or table was renamed');
    expect(snapshot(service)).toEqual(before);
    writeFileSync(schemaFile(), table);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: JSON from the server under test
async function send(url: string, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (response.status >= 300)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}
