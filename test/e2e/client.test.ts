import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { run, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm, withServer } from '../support/service.js';

// A front-end developer's first hour with a generated service: a typed client generated
// from its OpenAPI document with default options, a strict typecheck, and calls to the
// live service, errors included.
const base = inject('baseService');
let service: string;

// The program a client developer writes against the generated types. Every call is typed
// from the document: a wrong field, a string limit or an unchecked error fails `tsc`.
const PROGRAM = `import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type Problem = components['schemas']['Problem'];

const client = createClient<paths>({ baseUrl: process.env.BASE_URL });

function problemOf(result: { error?: Problem; response: Response }): { status: number; title: string } {
  if (result.error === undefined) throw new Error(\`expected a problem, got \${result.response.status}\`);
  return { status: result.error.status, title: result.error.title };
}

const ada = await client.POST('/users', { body: { email: 'ada@example.com', name: 'Ada' } });
if (ada.data === undefined) throw new Error(ada.error.detail);
const authorId: string = ada.data.id;

// Only the required fields: those with a default are left to the service.
for (const title of ['Alpha', 'Beta', 'Gamma']) {
  const created = await client.POST('/posts', { body: { title, authorId } });
  if (created.error !== undefined) throw new Error(created.error.title);
}

const firstPage = await client.GET('/posts', { params: { query: { authorId, sort: 'title', limit: 2 } } });
if (firstPage.data === undefined) throw new Error(firstPage.error.title);
const cursor: string | null = firstPage.data.nextCursor;
const secondPage =
  cursor === null ? undefined : await client.GET('/posts', { params: { query: { authorId, sort: 'title', limit: 2, cursor } } });
const titles = [...firstPage.data.data, ...(secondPage?.data?.data ?? [])].map((post) => post.title);

const alpha = firstPage.data.data[0];
if (alpha === undefined) throw new Error('no first post');
const published = await client.PATCH('/posts/{id}', { params: { path: { id: alpha.id } }, body: { published: true } });
const publishedFlag: boolean | undefined = published.data?.published;

const duplicate = problemOf(await client.POST('/users', { body: { email: 'ada@example.com', name: 'Ada again' } }));
const deleted = await client.DELETE('/posts/{id}', { params: { path: { id: alpha.id } } });
const gone = problemOf(await client.GET('/posts/{id}', { params: { path: { id: alpha.id } } }));

console.log(JSON.stringify({ titles, publishedFlag, duplicate, deleted: deleted.response.status, gone }));
`;

beforeAll(async () => {
  service = await copyService(base.dir, 'client-under-test');
  const plop = (args: string[]) => run('npx', ['plop', ...args], { cwd: service, env: userEnv() });
  expectSuccess(await plop(['route', 'users', 'email:email:unique name:string']), 'plop route users');
  expectSuccess(
    await plop([
      'route',
      'posts',
      'title:string:unique author:references(users) published:boolean=false views:integer=0',
    ]),
    'plop route posts',
  );
});

describe('a typed client generated from the OpenAPI document (openapi-typescript, openapi-fetch)', () => {
  it('installs into the service, typechecks strictly, and drives the live service, problems typed', async () => {
    expectSuccess(
      await npm(
        [
          'install',
          '--save-dev',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          'openapi-typescript@7',
          'openapi-fetch',
        ],
        service,
      ),
      'npm install openapi-typescript openapi-fetch',
    );
    const client = join(service, 'client');
    mkdirSync(client);
    writeFileSync(join(client, 'main.ts'), PROGRAM);
    await withServer(service, {}, async (url) => {
      expectSuccess(
        await run('npx', ['openapi-typescript', `${url}/openapi.json`, '--output', 'client/api.d.ts'], {
          cwd: service,
          env: userEnv(),
        }),
        'openapi-typescript',
      );
      // `tsc` is TypeScript 5.9 here, the one such tools need beside the service's native 7.
      const strict = ['--strict', '--noEmit', '--skipLibCheck', '--module', 'nodenext', '--target', 'es2023'];
      expectSuccess(
        await run('npx', ['tsc', ...strict, '--types', 'node', 'client/main.ts'], { cwd: service, env: userEnv() }),
        'tsc --strict on the client',
      );
      const result = await run('npx', ['tsx', 'client/main.ts'], { cwd: service, env: userEnv({ BASE_URL: url }) });
      expectSuccess(result, 'the client program');
      expect(JSON.parse(result.stdout)).toEqual({
        titles: ['Alpha', 'Beta', 'Gamma'],
        publishedFlag: true,
        duplicate: { status: 409, title: 'Conflict' },
        deleted: 204,
        gone: { status: 404, title: 'Not Found' },
      });
    });
  });
});
