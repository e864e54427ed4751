import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { FIELD_TYPES } from '../../generators/route/field-types.js';
import { parseFields } from '../../generators/route/fields.js';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { lintOpenApi } from '../support/openapi-lint.js';
import { createTestDatabase, serverUrl, skipReason } from '../support/postgres.js';
import { freePort, run, userEnv } from '../support/process.js';
import { type FuzzField, fuzzSeeds, randomBody, randomJson, seeded } from '../support/random.js';
import { RESOURCES } from '../support/resources.js';
import { copyService, expectSuccess, npm, withServer } from '../support/service.js';
import { snapshot, unusedExports } from '../support/tree.js';

const base = inject('baseService');
let service: string;

/** `npx plop ...` inside the service, with stdin closed, as a developer or an agent runs it. */
const plop = (args: string[]) => run('npx', ['plop', ...args], { cwd: service, env: userEnv() });

beforeAll(async () => {
  service = await copyService(base.dir, 'route-under-test');
  for (const [name, fields] of RESOURCES) expectSuccess(await plop(['route', name, fields]), `plop route ${name}`);
});

describe('npx plop route <plural> "<fields>"', () => {
  it('writes each resource with its drizzle-kit migration', () => {
    for (const [name] of RESOURCES) {
      for (const file of [
        `src/db/schema/${name}.ts`,
        `src/schemas/${name}.ts`,
        `src/services/${name}.ts`,
        `src/routes/${name}.ts`,
        `test/${name}.test.ts`,
        `test/factories/${name}.ts`,
      ]) {
        expect(existsSync(join(service, file)), file).toBe(true);
      }
    }
    const migrations = readdirSync(join(service, 'drizzle')).filter((file) => file.endsWith('.sql'));
    expect(migrations).toEqual(['0000_create_users.sql', '0001_create_posts.sql', '0002_create_comments.sql']);
    const routes = readFileSync(join(service, 'src/routes/index.ts'), 'utf8');
    for (const [name] of RESOURCES)
      expect(routes.match(new RegExp(`app\\.register\\(${name}Routes\\)`, 'g'))).toHaveLength(1);
  });

  itPassesItsOwnChecks(() => service);

  it('the migrations apply to a fresh embedded database, and applying them again changes nothing', async () => {
    const env = { DATABASE_URL: join(service, '.data', 'migrate-check') };
    expectSuccess(await npm(['run', 'db:migrate'], service, env), 'first db:migrate');
    expectSuccess(await npm(['run', 'db:migrate'], service, env), 'second db:migrate');
  });

  it.skipIf(serverUrl === undefined)(
    'the migrations apply to a fresh PostgreSQL database, concurrently and again, and the service serves it',
    async () => {
      const database = await createTestDatabase(service);
      try {
        const env = { DATABASE_URL: database.url };
        const [first, second] = await Promise.all([
          npm(['run', 'db:migrate'], service, env),
          npm(['run', 'db:migrate'], service, env),
        ]);
        expectSuccess(first, 'db:migrate (first of two at once)');
        expectSuccess(second, 'db:migrate (second of two at once)');
        expectSuccess(await npm(['run', 'db:migrate'], service, env), 'db:migrate again');
        await withServer(service, { DATABASE_URL: database.url }, async (url) => {
          const user = await post(url, '/users', { email: 'pg@example.com', name: 'On a server' });
          expect(user.status).toBe(201);
          // The client rewrites a timestamp of a year under 100 before V8 reads it, and only those.
          for (const [sent, stored] of [
            ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
            ['0099-12-31T23:59:59.999Z', '0099-12-31T23:59:59.999Z'],
            ['0100-01-01T00:30:00+01:00', '0099-12-31T23:30:00.000Z'],
            ['2026-11-29T10:05:11.123-03:00', '2026-11-29T13:05:11.123Z'],
          ]) {
            const dated = {
              // Titles are unique in this resource.
              title: `Dated ${sent}`,
              authorId: user.body.id,
              externalId: crypto.randomUUID(),
              publishedAt: sent,
            };
            const created = await post(url, '/posts', dated);
            expect(created.body.publishedAt).toBe(stored);
            expect((await get(url, `/posts/${created.body.id}`)).body.publishedAt).toBe(stored);
          }
        });
      } finally {
        await database.drop();
      }
    },
  );
  if (serverUrl === undefined) skipReason('migrations and requests');
});

describe('the generated HTTP API, served by npm start', () => {
  it('answers every row of the HTTP table', async () => {
    await withServer(service, {}, async (url) => {
      const alice = await post(url, '/users', { email: 'alice@example.com', name: 'Alice' });
      expect(alice.status).toBe(201);
      const aliceId = alice.body.id;
      expect(alice.headers.get('location')).toBe(`/users/${aliceId}`);

      const first = await post(url, '/posts', { title: 'First', authorId: aliceId, externalId: crypto.randomUUID() });
      expect(first.status).toBe(201);
      const firstPost = first.body;
      expect(firstPost).toMatchObject({ published: false, status: 'draft', views: 0, price: '9.99', body: null });
      await post(url, '/posts', { title: 'Second', authorId: aliceId, externalId: crypto.randomUUID() });

      const page = await get(url, '/posts?limit=1&sort=title');
      expect(page.status).toBe(200);
      const { data, nextCursor } = page.body;
      expect(data.map((row: { title: string }) => row.title)).toEqual(['First']);
      const rest = (await get(url, `/posts?limit=1&sort=title&cursor=${nextCursor}`)).body;
      expect(rest.data.map((row: { title: string }) => row.title)).toEqual(['Second']);
      expect(rest.nextCursor).toBeNull();
      expect((await get(url, `/posts?limit=500`)).status).toBe(400);

      expect((await get(url, `/posts/${firstPost.id}`)).status).toBe(200);
      expect((await get(url, `/posts/123`)).status).toBe(400);
      expect((await get(url, `/posts/${crypto.randomUUID()}`)).status).toBe(404);

      expect((await post(url, '/posts', { title: 42 })).status).toBe(400);
      expect(
        (await post(url, '/posts', { title: 'First', authorId: aliceId, externalId: crypto.randomUUID() })).status,
      ).toBe(409);
      expect(
        (await post(url, '/posts', { title: 'Orphan', authorId: crypto.randomUUID(), externalId: crypto.randomUUID() }))
          .status,
      ).toBe(422);
      const wrongType = await fetch(`${url}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(wrongType.status).toBe(415);
      expect(wrongType.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const patched = await patch(url, `/posts/${firstPost.id}`, { published: true });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ published: true, title: 'First' });
      expect((await patch(url, `/posts/${firstPost.id}`, { views: 'many' })).status).toBe(400);
      expect((await patch(url, `/posts/${crypto.randomUUID()}`, { published: true })).status).toBe(404);
      expect((await patch(url, `/posts/${firstPost.id}`, { title: 'Second' })).status).toBe(409);

      const comment = await post(url, '/comments', { postId: firstPost.id, body: 'Nice.' });
      expect(comment.status).toBe(201);
      expect((await del(url, `/users/${aliceId}`)).status).toBe(409);
      expect((await del(url, `/posts/${firstPost.id}`)).status).toBe(204);
      expect((await get(url, `/comments/${comment.body.id}`)).status).toBe(404);
      expect((await del(url, `/posts/${firstPost.id}`)).status).toBe(404);
    });
  });

  it('publishes a valid OpenAPI 3 document describing every route, parameter, body, response and error', async () => {
    await withServer(service, {}, async (url) => {
      const document = (await get(url, '/openapi.json')).body;
      const result = await validate(structuredClone(document) as Parameters<typeof validate>[0]);
      expect(result.valid ? [] : result.errors).toEqual([]);
      for (const [name, spec] of RESOURCES) {
        // 422 (a reference to a row that does not exist) only where there is a reference.
        const writeErrors = spec.includes(':references(') ? ['409', '413', '415', '422'] : ['409', '413', '415'];
        const collection = document.paths[`/${name}`];
        const item = document.paths[`/${name}/{id}`];
        const queryNames = collection.get.parameters.map((parameter: { name: string }) => parameter.name);
        expect(queryNames).toEqual(expect.arrayContaining(['limit', 'cursor', 'sort']));
        expect(Object.keys(collection.get.responses)).toEqual(expect.arrayContaining(['200', '400']));
        expect(collection.post.requestBody.content['application/json'].schema).toBeDefined();
        expect(Object.keys(collection.post.responses).sort()).toEqual([
          '201',
          '400',
          ...writeErrors,
          '429',
          '500',
          '503',
        ]);
        expect(
          item.get.parameters.map((parameter: { name: string; in: string }) => `${parameter.in}:${parameter.name}`),
        ).toEqual(['path:id', 'header:If-None-Match']);
        expect(Object.keys(item.get.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
        expect(item.patch.requestBody.content['application/json'].schema).toBeDefined();
        expect(Object.keys(item.patch.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409']));
        expect(Object.keys(item.delete.responses)).toEqual(expect.arrayContaining(['204', '404']));
      }
      // Every operation has a name clients can generate from, once; every answer a description,
      // and every error the media type the service sends it with.
      type Operation = { operationId?: string; responses: Record<string, { description: string; content?: object }> };
      const operations = Object.values(document.paths as Record<string, Record<string, Operation>>).flatMap((item) =>
        Object.values(item),
      );
      const operationIds = operations.map((operation) => operation.operationId);
      expect(operationIds.filter((id) => id === undefined)).toEqual([]);
      expect(new Set(operationIds).size).toBe(operationIds.length);
      for (const operation of operations) {
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(response.description, `${operation.operationId} ${status}`).not.toBe('Default Response');
          if (Number(status) >= 400) expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
        }
      }
      const postQuery = document.paths['/posts'].get.parameters.map((parameter: { name: string }) => parameter.name);
      expect(postQuery).toEqual(
        expect.arrayContaining(['title', 'published', 'status', 'authorId', 'views', 'publishedAt']),
      );
    });
  });

  it("passes Redocly's recommended rules and Spectral's spectral:oas, under the service's own rulesets, with no error or warning", async () => {
    await withServer(service, {}, async (url) => {
      const document = (await get(url, '/openapi.json')).body;
      expect(document.servers).toEqual([{ url }]);
      expect(await lintOpenApi(document, service)).toEqual([]);
      // Formats get examples a client can send as they are, not ones made up from patterns.
      const created = await post(url, '/users', { email: 'lint@example.com', name: 'Lint' });
      const example = (schema: Loose) => (schema.examples ?? schema.anyOf?.[0]?.examples)?.[0];
      const input = document.paths['/posts'].post.requestBody.content['application/json'].schema.properties;
      const body = {
        title: 'Examples',
        authorId: created.body.id,
        externalId: example(input.externalId),
        publishedAt: example(input.publishedAt),
        publishedOn: example(input.publishedOn),
        price: example(input.price),
        meta: example(input.meta),
      };
      expect(Object.values(body).filter((value) => value === undefined)).toEqual([]);
      expect((await post(url, '/posts', body)).status).toBe(201);
    });
  });

  it('never answers a malformed body, query or id with a 5xx (seeded random requests)', async () => {
    const random = seeded(20261126);
    await withServer(service, { RATE_LIMIT_MAX: '100000' }, async (url) => {
      const user = (await post(url, '/users', { email: 'fuzz@example.com', name: 'Fuzz' })).body;
      const target = (
        await post(url, '/posts', { title: 'Target', authorId: user.id, externalId: crypto.randomUUID() })
      ).body;
      const ids = [target.id, crypto.randomUUID(), 'x', '', '0', '%00', '..', 'a'.repeat(300)];
      const failures: string[] = [];
      for (let i = 0; i < 300; i += 1) {
        const resource = random.pick(['users', 'posts', 'comments']);
        const id = encodeURIComponent(random.pick(ids));
        const query = new URLSearchParams(
          Array.from({ length: random.int(0, 3) }, (): [string, string] => [
            random.pick(['limit', 'cursor', 'sort', 'title', 'published', 'views', 'publishedAt', 'authorId', 'x']),
            String(randomJson(random)),
          ]),
        );
        const body = JSON.stringify(randomJson(random));
        const [method, path] = random.pick([
          ['GET', `/${resource}?${query}`],
          ['GET', `/${resource}/${id}`],
          ['POST', `/${resource}`],
          ['PATCH', `/${resource}/${id}`],
          ['DELETE', `/${resource}/${id}`],
        ] as const);
        const response = await fetch(`${url}${path}`, {
          method,
          ...(method === 'POST' || method === 'PATCH' ? { body, headers: { 'content-type': 'application/json' } } : {}),
        });
        if (response.status >= 500)
          failures.push(`${method} ${path} ${body.slice(0, 200)} -> ${response.status} ${await response.text()}`);
      }
      expect(failures).toEqual([]);
    });
  });
});

describe("requests built from the resources' real fields (seeded; reaching inserts and updates)", () => {
  const fieldsOf = Object.fromEntries(RESOURCES.map(([name, spec]) => [name, parseFields(spec)]));
  // What a body the API must accept may still meet: a duplicate (409), a reference to no
  // row (422), a row deleted meanwhile (404), a parent still referenced (409).
  const ACCEPTABLE: Record<string, number[]> = {
    POST: [201, 409, 422],
    PATCH: [200, 404, 409, 422],
    DELETE: [204, 404, 409],
    GET: [200],
  };

  it.each(fuzzSeeds('field fuzzing'))(
    'seed %i: a valid body is never a 400, an invalid one always is, nothing is a 5xx, and every stored row can be read and listed',
    async (seed) => {
      const random = seeded(seed);
      await withServer(service, { RATE_LIMIT_MAX: '100000' }, async (url) => {
        const ids: Record<string, string[]> = { users: [], posts: [], comments: [] };
        const fuzzFields = (resource: string): FuzzField[] =>
          (fieldsOf[resource] ?? []).map((field) => ({
            name: field.name,
            type: field.type,
            optional: field.optional,
            hasDefault: field.defaultValue !== undefined,
            enumValues: field.enumValues,
            parentIds: field.references === undefined ? undefined : ids[field.references.resource.plural.camel],
          }));
        const outcomes: Record<string, number> = {};
        const failures: string[] = [];
        for (let i = 0; i < 400; i += 1) {
          const resource = random.pick(['users', 'users', 'posts', 'posts', 'posts', 'comments']);
          const known = ids[resource] ?? [];
          const id = known.length > 0 && random.chance(0.9) ? random.pick(known) : crypto.randomUUID();
          const method = random.pick(['POST', 'POST', 'POST', 'PATCH', 'PATCH', 'GET', 'DELETE']);
          const fuzzed =
            method === 'POST' || method === 'PATCH'
              ? randomBody(random, fuzzFields(resource), method === 'POST' ? 'create' : 'change')
              : undefined;
          const path =
            method === 'POST'
              ? `/${resource}`
              : method === 'GET'
                ? `/${resource}?limit=${random.int(1, 5)}&sort=${random.pick(['-createdAt', 'updatedAt', '-updatedAt'])}`
                : `/${resource}/${id}`;
          const answer = await call(url, method, path, fuzzed?.body);
          outcomes[`${method} ${answer.status}`] = (outcomes[`${method} ${answer.status}`] ?? 0) + 1;
          const expected = fuzzed?.invalid ? [400] : (ACCEPTABLE[method] ?? []);
          if (!expected.includes(answer.status)) {
            failures.push(
              `${method} ${path} (${fuzzed?.fault ?? 'no body'}) ${JSON.stringify(fuzzed?.body)?.slice(0, 300)} -> ${answer.status} ${JSON.stringify(answer.body)}`,
            );
          }
          if (method === 'POST' && answer.status === 201) known.push(answer.body.id);
          if (method === 'DELETE' && answer.status === 204) known.splice(known.indexOf(id), 1);
        }
        expect(failures).toEqual([]);
        // The writes were reached, not only refused.
        expect(outcomes['POST 201']).toBeGreaterThan(30);
        expect(outcomes['PATCH 200']).toBeGreaterThan(10);
        for (const resource of Object.keys(ids)) {
          const seen: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await get(url, `/${resource}?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`);
            expect(page.status).toBe(200);
            seen.push(...page.body.data.map((row: { id: string }) => row.id));
            cursor = page.body.nextCursor;
          } while (cursor !== null);
          // Comments also go when their post is deleted (cascade), which the loop does not track.
          const stored = ids[resource] ?? [];
          if (resource === 'comments') expect(stored).toEqual(expect.arrayContaining(seen));
          else expect(seen.sort()).toEqual([...stored].sort());
          for (const rowId of seen) expect((await get(url, `/${resource}/${rowId}`)).status).toBe(200);
        }
      });
    },
  );
});

describe('npx plop route refuses bad input before writing anything', () => {
  it.each([
    [
      'an unknown type',
      ['route', 'gadgets', 'name:strng'],
      ['"name:strng"', 'unknown type "strng"', 'allowed types: string, text'],
    ],
    [
      'a bad modifier',
      ['route', 'gadgets', 'name:string:uniq'],
      ['"name:string:uniq"', 'unknown modifier "uniq"', 'allowed:'],
    ],
    ['a duplicate field', ['route', 'gadgets', 'name:string name:text'], ['field "name" is given twice']],
    ['a field named id', ['route', 'gadgets', 'id:uuid'], ['"id" is added to every resource by the generator']],
    [
      'a field name that is not an identifier',
      ['route', 'gadgets', '2fast:string'],
      ['"2fast" is not a valid field name'],
    ],
    ['a JavaScript reserved word', ['route', 'gadgets', 'class:string'], ['"class" is a reserved word in JavaScript']],
    ['an SQL reserved word', ['route', 'gadgets', 'order:integer'], ['"order" is a reserved word in SQL']],
    [
      'a resource name that is not an identifier',
      ['route', 'my gadgets', 'name:string'],
      ['"my gadgets" is not a valid resource name'],
    ],
    ['a reserved resource name', ['route', 'select', 'name:string'], ['"select" is a reserved word in SQL']],
    ['an existing resource', ['route', 'users', 'email:string'], ['resource "users" already exists', '--force']],
    ['a reference to a missing resource', ['route', 'gadgets', 'owner:references(owners)'], ['no resource "owners"']],
    ['no fields', ['route', 'gadgets'], ['missing required input "fields"']],
  ])('%s', async (_case, args, messages) => {
    const before = snapshot(service);
    const result = await plop(args);
    expect(result.code).not.toBe(0);
    for (const message of messages) expect(result.stdout + result.stderr).toContain(message);
    expect(snapshot(service)).toEqual(before);
  });

  it('re-running with --force writes the same files; without it, says the resource exists', async () => {
    const [name, fields] = RESOURCES[2];
    const before = snapshot(service);
    const again = await plop(['route', name, fields]);
    expect(again.code).not.toBe(0);
    expect(again.stdout + again.stderr).toContain(`resource "${name}" already exists`);
    expectSuccess(await plop(['route', name, fields, '--force']), 'plop route --force');
    expect(snapshot(service)).toEqual(before);
  });
});

describe('random valid field specs (seeded)', () => {
  it('generate resources, using every type, whose code typechecks, lints and passes its own tests', async () => {
    const specs: string[] = [];
    const parents = ['users'];
    const seeds = fuzzSeeds('random specs').slice(0, 2);
    for (const [round, seed] of seeds.entries()) {
      const random = seeded(seed);
      for (const noun of ['widgets', 'gadgets', 'parts', 'tickets']) {
        const name = `${noun}${round}`;
        const spec = randomSpec(random, parents);
        specs.push(`${name}: ${spec}`);
        expectSuccess(await plop(['route', name, spec]), `plop route ${name} "${spec}"`);
        parents.push(name);
      }
    }
    // Whatever the seeds drew, every type is generated at least once, optional as well.
    const drawn = new Set(specs.flatMap((spec) => [...spec.matchAll(/:(\w+)/g)].map((match) => match[1])));
    const missing = FIELD_TYPES.filter((type) => !drawn.has(type) && type !== 'references' && type !== 'enum');
    if (missing.length > 0) {
      const spec = missing.map((type, i) => `rest${i}:${type}?`).join(' ');
      specs.push(`leftovers: ${spec}`);
      expectSuccess(await plop(['route', 'leftovers', spec]), `plop route leftovers "${spec}"`);
    }
    for (const script of [['run', 'typecheck'], ['run', 'lint'], ['test']]) {
      expectSuccess(await npm(script, service), `npm ${script.join(' ')} for\n${specs.join('\n')}`);
    }
    expect(unusedExports(service), specs.join('\n')).toEqual([]);
  });
});

function randomSpec(random: ReturnType<typeof seeded>, parents: string[]): string {
  return Array.from({ length: random.int(1, 6) }, (_, i) => {
    const type = random.pick(FIELD_TYPES);
    const name = `${random.pick(['alpha', 'beta', 'gamma', 'delta', 'kappa', 'sigma'])}${i}`;
    const optional = random.chance(0.3) ? '?' : '';
    if (type === 'references')
      return `${name}:references(${random.pick(parents)})${random.chance(0.5) ? ':cascade' : ''}`;
    if (type === 'enum') return `${name}:enum(low,mid,high)${optional}${random.chance(0.5) ? '=mid' : ''}`;
    const modifiers = [
      ...(random.chance(0.2) && !['json', 'boolean'].includes(type) ? ['unique'] : []),
      ...(random.chance(0.2) && type !== 'json' ? ['index'] : []),
    ];
    const defaults: Record<string, string> = {
      integer: '7',
      boolean: 'true',
      string: 'hello',
      decimal: '1.50',
      datetime: 'now',
      json: '{}',
    };
    const withDefault = defaults[type] !== undefined && random.chance(0.3) ? `=${defaults[type]}` : '';
    return [`${name}:${type}${optional}`, ...modifiers].join(':') + withDefault;
  }).join(' ');
}

describe('npm run db:seed and npm run db:studio', () => {
  /**
   * The rows per table seed says it made: 10 of each resource, and more of those others
   * reference (posts make users, comments make posts; other tests here add resources).
   */
  const seededRows = (stdout: string): Record<string, number> => {
    const rows: Record<string, number> = Object.fromEntries(
      [...stdout.matchAll(/^(\w+): (\d+) rows$/gm)].map(([, table, n]) => [table, Number(n)]),
    );
    for (const table of ['users', 'posts', 'comments']) expect(rows[table], table).toBeGreaterThanOrEqual(10);
    expect(rows.users).toBeGreaterThanOrEqual(30);
    expect(Object.values(rows).every((n) => n >= 10)).toBe(true);
    return rows;
  };

  it('seed fills an empty embedded database from the factories, once; studio browses it and holds it', async () => {
    const env = { DATABASE_URL: join(service, '.data', 'seeded') };
    const seed = await npm(['run', 'db:seed'], service, env);
    expectSuccess(seed, 'npm run db:seed');
    const rows = seededRows(seed.stdout);
    const again = await npm(['run', 'db:seed'], service, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has \d+ row\(s\); db:seed fills an empty database only/);
    expect((await npm(['run', 'db:seed'], service, { DATABASE_URL: 'memory://' })).stderr).toMatch(/memory:\/\//);

    await withStudio(env, async (query) => {
      expect(await query('select count(*)::int as n from comments')).toEqual([{ n: rows.comments }]);
      // The service must not open the directory Studio has open.
      const start = await npm(['start'], service, env);
      expect(start.code).toBe(1);
      expect(start.stderr).toMatch(/in use by process \d+/);
    });
    // Studio gone, the service opens the seeded data.
    await withServer(service, env, async (url) => {
      expect((await get(url, '/comments?limit=100')).body.data).toHaveLength(Math.min(rows.comments ?? 0, 100));
    });
  });

  it.skipIf(skipReason('db:seed and db:studio') !== undefined)(
    'seed refuses a server database with migrations to apply, then fills it; studio browses it',
    async () => {
      const database = await createTestDatabase(service);
      try {
        const env = { DATABASE_URL: database.url };
        const early = await npm(['run', 'db:seed'], service, env);
        expect(early.code).toBe(1);
        expect(early.stderr).toMatch(/migration\(s\) are not applied yet: run npm run db:migrate first/);
        expectSuccess(await npm(['run', 'db:migrate'], service, env), 'npm run db:migrate');
        const seed = await npm(['run', 'db:seed'], service, env);
        expectSuccess(seed, 'npm run db:seed');
        const rows = seededRows(seed.stdout);
        await withStudio(env, async (query) => {
          expect(await query('select count(*)::int as n from posts')).toEqual([{ n: rows.posts }]);
        });
      } finally {
        await database.drop();
      }
    },
  );
});

/**
 * `npm run db:studio` on a free port, stopped with Ctrl-C (SIGINT to its process group)
 * after `use`; `query` runs SQL through Studio's own API, as its page does.
 */
async function withStudio(
  env: Record<string, string>,
  use: (query: (sql: string) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const port = await freePort();
  const studio = spawn('npm', ['run', 'db:studio', '--', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: service,
    env: userEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  for (const stream of [studio.stdout, studio.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => studio.once('exit', resolve));
  const query = async (sql: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'proxy', data: { sql, params: [], mode: 'object', method: 'all' } }),
    });
    return response.json();
  };
  try {
    for (let waited = 0; !output.includes('Drizzle Studio is up and running'); waited += 100) {
      if (studio.exitCode !== null || waited > 60_000) throw new Error(`db:studio did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await use(query);
  } finally {
    process.kill(-(studio.pid ?? 0), 'SIGINT');
    await exited;
  }
}

// Bodies are read loosely typed: the assertions say what they must hold.
// biome-ignore lint/suspicious/noExplicitAny: JSON from the server under test
type Loose = Record<string, any>;

interface Answer {
  status: number;
  headers: Headers;
  body: Loose;
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Loose) };
}

const get = (url: string, path: string) => call(url, 'GET', path);
const post = (url: string, path: string, body: unknown) => call(url, 'POST', path, body);
const patch = (url: string, path: string, body: unknown) => call(url, 'PATCH', path, body);
const del = (url: string, path: string) => call(url, 'DELETE', path);
