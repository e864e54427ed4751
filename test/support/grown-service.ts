import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type Finished, run, userEnv } from './process.js';
import { RESOURCES } from './resources.js';
import { call, expectSuccess, install, plop } from './service.js';

// users is auth's own table in a grown service: the first resource is named otherwise, and nothing else changes.
export const GROWN_RESOURCES = RESOURCES.map(([name, fields]) =>
  name === 'users' ? ['writers', fields] : [name, fields.replace('references(users)', 'references(writers)')],
);

/**
 * The service route.test.ts builds on PostgreSQL, generated for another database and grown
 * with the generators past CRUD (`steps`, after the resources): its own tests are the same
 * HTTP contract, and must pass unchanged. `grow` makes it, in a folder removed by `remove`.
 */
export function grownService(database: 'mysql' | 'sqlite', steps: string[][]) {
  const work = mkdtempSync(join(tmpdir(), `bdk-${database}-`));
  const dir = join(work, 'notes-service');
  /** `npx plop ...` inside the service, with stdin closed, as a developer or an agent runs it. */
  const plopIn = (args: string[]): Promise<Finished> => run('npx', ['plop', ...args], { cwd: dir, env: userEnv() });
  return {
    dir,
    plopIn,
    /** The service generated and installed, then grown; its generation's output and its first install's warnings. */
    async grow(): Promise<{ generation: Finished; installWarnings: string[] }> {
      const generation = await plop(['service', dir, '--', '--db', database, '--git', 'false']);
      expectSuccess(generation, `npx plop service --db ${database}`);
      const installWarnings = await install(dir);
      const all = [...GROWN_RESOURCES.map(([name = '', fields = '']) => ['route', name, fields]), ...steps];
      for (const step of all) expectSuccess(await plopIn(step), `npx plop ${step.join(' ')}`);
      // auth and api-keys added libraries.
      await install(dir);
      return { generation, installWarnings };
    },
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}

const PASSWORD = 'a long passphrase';

/** Registers the grown service's first user (with capitals in the email) on the service served at `url`. */
export async function registerAnn(url: string): Promise<void> {
  expect((await call(url, 'POST', '/auth/register', { email: 'Ann@Example.com', password: PASSWORD })).status).toBe(
    201,
  );
}

/** Signs the first user in (by the email in lower case, as it is stored): the header that carries the token. */
export async function signInAnn(url: string): Promise<Record<string, string>> {
  const signIn = await call(url, 'POST', '/auth/login', { email: 'ann@example.com', password: PASSWORD });
  expect(signIn.status).toBe(200);
  return { authorization: `Bearer ${signIn.body.accessToken}` };
}

/**
 * What the grown service answers on every database as on PostgreSQL, signed in with `token`:
 * a writer and a post (the defaults and nulls stored as sent), the post's publish action
 * once and then 409, 422 naming a reference to nothing, and 409 naming the table that still
 * refers to a writer. The post's body and id, for more.
 */
export async function expectPostgresAnswers(
  url: string,
  token: Record<string, string>,
): Promise<{ postId: string; body: Record<string, unknown> }> {
  const author = await call(url, 'POST', '/writers', { email: 'bo@example.com', name: 'Bo' }, token);
  expect(author.status).toBe(201);
  const body = {
    title: 'First',
    authorId: author.body.id,
    externalId: crypto.randomUUID(),
    price: '12.50',
    meta: null,
  };
  const posted = await call(url, 'POST', '/posts', body, token);
  expect(posted.status).toBe(201);
  expect(posted.body).toMatchObject({ price: '12.50', status: 'draft', rating: 3, mood: null, meta: null });
  const postId: string = posted.body.id;
  expect((await call(url, 'POST', `/posts/${postId}/publish`, undefined, token)).status).toBe(200);
  expect((await call(url, 'POST', `/posts/${postId}/publish`, undefined, token)).status).toBe(409);
  const orphan = { title: 'Orphan', authorId: crypto.randomUUID(), externalId: crypto.randomUUID() };
  const refused = await call(url, 'POST', '/posts', orphan, token);
  expect(refused.status).toBe(422);
  expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'authorId' })]);
  const stillUsed = await call(url, 'DELETE', `/writers/${author.body.id}`, undefined, token);
  expect(stillUsed.status).toBe(409);
  expect(stillUsed.body.detail).toBe('This writer cannot be deleted while posts refer to it.');
  return { postId, body };
}
