import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { lintOpenApi } from '../support/openapi-lint.js';
import { serverUrl, skipReason } from '../support/postgres.js';
import { type Finished, run, userEnv } from '../support/process.js';
import { copyService, expectSuccess, install, npm, withServer } from '../support/service.js';

// "Only staff may change books and authors; anyone may read them; members log in to
// borrow and see only their own loans", with generators alone. Authors exist before auth
// is installed, so installing it into a service with resources is part of the scenario.
const COMMANDS = [
  ['route', 'authors', 'name:string:unique'],
  ['auth', '--', '--roles', 'member,staff,admin'],
  ['access', 'authors', 'read:public write:staff'],
  ['route', 'books', 'title:string:unique author:references(authors)', '--', '--access', 'read:public write:staff'],
  ['route', 'loans', 'book:references(books) due:date', '--', '--owned', '--access', 'read:owner,staff'],
  // Actions take their resource's update rule: staff only on books, the owner on loans.
  ['action', 'books', 'retitle', '--', '--body', 'title'],
  ['action', 'loans', 'renew', '--', '--sets', 'due=2030-01-01'],
];
const PASSWORD = 'a long enough passphrase';

const base = inject('baseService');
let service: string;

const plopIn = (dir: string, args: string[]) => run('npx', ['plop', ...args], { cwd: dir, env: userEnv() });
const shell = (command: string, env: Record<string, string> = {}) =>
  run('sh', ['-c', command], { cwd: service, env: userEnv(env) });

beforeAll(async () => {
  service = await copyService(base.dir, 'library-under-test');
  for (const args of COMMANDS) expectSuccess(await plopIn(service, args), `npx plop ${args.join(' ')}`);
  // auth added jose and @node-rs/argon2 to package.json.
  await install(service);
});

describe('the library, from generators only', () => {
  it('declares every rule in the routes the generators wrote', () => {
    const route = (name: string) => readFileSync(join(service, `src/routes/${name}.ts`), 'utf8');
    expect(route('books').match(/access: 'public'/g)).toHaveLength(2);
    // create, update, delete, and the retitle action, which takes update's rule.
    expect(route('books').match(/access: \{ roles: \['staff'\] \}/g)).toHaveLength(4);
    expect(route('loans')).toContain("access: { roles: ['staff'], owner: true }");
    expect(route('loans')).toContain('service.create(request.body, signedInUser(request).id)');
  });

  itPassesItsOwnChecks(() => service);

  it.skipIf(serverUrl === undefined)("the service's own tests pass on a PostgreSQL server too", async () => {
    const result = await npm(['test'], service, { TEST_DATABASE_URL: serverUrl ?? '' });
    expectSuccess(result, 'npm test with TEST_DATABASE_URL');
    expect(result.stdout).toMatch(/test\/loans-access\.test\.ts/);
  });
  if (serverUrl === undefined) skipReason('the generated tests');

  it('serves it: staff change the catalogue, members borrow, and see only their own loans', async () => {
    const dataDir = join(service, '.data', 'library');
    const created = await shell(
      `printf '%s' "${PASSWORD}" | npm run -s user:create -- --email staff@example.com --role staff`,
      { DATABASE_URL: dataDir },
    );
    expectSuccess(created, 'npm run user:create');
    expect(created.stdout).toContain('created staff@example.com (staff)');
    const onArgv = await shell('npm run -s user:create -- --email x@example.com --password hunter2hunter2', {
      DATABASE_URL: dataDir,
    });
    expect(onArgv.code).not.toBe(0);
    expect(onArgv.stderr).toContain("Unknown option '--password'");
    const nobody = await shell('npm run -s user:role -- --email nobody@example.com --role staff', {
      DATABASE_URL: dataDir,
    });
    expect(nobody.code).not.toBe(0);
    expect(nobody.stderr).toContain('no user has the email nobody@example.com');

    await withServer(service, { DATABASE_URL: dataDir }, async (url) => {
      const call = async (method: string, path: string, token?: string, body?: unknown) => {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
      };
      const signIn = async (email: string) => {
        const response = await call('POST', '/auth/login', undefined, { email, password: PASSWORD });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        return response.body as { accessToken: string; refreshToken: string };
      };
      const member = async (email: string) => {
        expect((await call('POST', '/auth/register', undefined, { email, password: PASSWORD })).status).toBe(201);
        return signIn(email);
      };

      const staff = await signIn('staff@example.com');
      const ada = await member('ada@example.com');
      const grace = await member('grace@example.com');

      const author = await call('POST', '/authors', staff.accessToken, { name: 'Ursula K. Le Guin' });
      expect(author.status).toBe(201);
      expect((await call('POST', '/authors', ada.accessToken, { name: 'Ada' })).status).toBe(403);
      const book = await call('POST', '/books', staff.accessToken, {
        title: 'The Dispossessed',
        authorId: author.body.id,
      });
      expect(book.status).toBe(201);
      expect((await call('POST', '/books', undefined, { title: 'Anon', authorId: author.body.id })).status).toBe(401);
      expect((await call('GET', '/books')).body.data).toHaveLength(1);
      expect((await call('GET', `/books/${book.body.id}`)).status).toBe(200);

      // The owner comes from the token: naming someone else in the body is refused.
      const me = (await call('GET', '/auth/me', ada.accessToken)).body;
      const loanBody = { bookId: book.body.id, due: '2026-12-31' };
      expect((await call('POST', '/loans', ada.accessToken, { ...loanBody, ownerId: me.id })).status).toBe(400);
      const loan = await call('POST', '/loans', ada.accessToken, loanBody);
      expect(loan.status).toBe(201);
      expect(loan.body.ownerId).toBe(me.id);
      expect((await call('POST', '/loans', undefined, loanBody)).status).toBe(401);

      expect((await call('GET', '/loans', ada.accessToken)).body.data).toHaveLength(1);
      expect((await call('GET', '/loans', grace.accessToken)).body.data).toEqual([]);
      expect((await call('GET', `/loans/${loan.body.id}`, grace.accessToken)).status).toBe(404);
      expect((await call('PATCH', `/loans/${loan.body.id}`, grace.accessToken, { due: '2027-01-31' })).status).toBe(
        404,
      );
      expect((await call('DELETE', `/loans/${loan.body.id}`, grace.accessToken)).status).toBe(404);
      expect((await call('GET', `/loans/${loan.body.id}`, staff.accessToken)).status).toBe(200);
      expect((await call('GET', '/loans', staff.accessToken)).body.data).toHaveLength(1);
      expect((await call('PATCH', `/loans/${loan.body.id}`, ada.accessToken, { due: '2027-01-31' })).status).toBe(200);

      // A forged token: Ada's claims, no signature.
      const [, claims] = ada.accessToken.split('.');
      const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${claims}.`;
      const forged = await call('GET', '/loans', unsigned);
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toBe('Bearer');

      // Refresh rotates; the old token coming back ends the sign-in.
      const next = await call('POST', '/auth/refresh', undefined, { refreshToken: ada.refreshToken });
      expect(next.status).toBe(200);
      expect((await call('POST', '/auth/refresh', undefined, { refreshToken: ada.refreshToken })).status).toBe(401);
      expect((await call('POST', '/auth/refresh', undefined, { refreshToken: next.body.refreshToken })).status).toBe(
        401,
      );

      // The document names the bearer scheme, and passes the linters under the service's rulesets.
      const document = (await call('GET', '/openapi.json')).body;
      expect(document.paths['/loans'].get.security).toEqual([{ bearerAuth: [] }]);
      expect(document.paths['/books'].get.security).toBeUndefined();
      expect(Object.keys(document.paths['/books'].post.responses)).toEqual(expect.arrayContaining(['401', '403']));
      expect(await lintOpenApi(document, service)).toEqual([]);
      expect(JSON.stringify(document)).not.toMatch(/passwordHash|password_hash/);
    });
  });

  it('refuses a weak signing secret at start-up, naming the variable', async () => {
    const result = await npm(['start'], service, { JWT_SECRET: 'a'.repeat(40), DATABASE_URL: 'memory://' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('JWT_SECRET: is too simple');
  });
});

describe('what the generators refuse, by name, writing nothing', () => {
  const refused = (result: Finished, message: string) => {
    expect(result.code, result.stdout).not.toBe(0);
    expect(`${result.stdout}\n${result.stderr}`).toContain(message);
  };

  it('auth twice; a rule naming an unknown role, action or owner without owners', async () => {
    refused(await plopIn(service, ['auth']), 'auth is installed in this service already');
    refused(
      await plopIn(service, ['route', 'shelves', 'label:string', '--', '--access', 'write:librarian']),
      '"librarian" is not a role of this service',
    );
    refused(
      await plopIn(service, ['route', 'shelves', 'label:string', '--', '--access', 'borrow:member']),
      '"borrow" is not an action',
    );
    refused(await plopIn(service, ['access', 'books', 'update:owner']), 'owner needs a resource with owners');
    refused(
      await plopIn(service, ['route', 'shelves', 'owner:references(users)']),
      "users are auth's accounts, not a generated resource",
    );
  });

  it('--owned and --access before auth', async () => {
    const plain = await copyService(base.dir, 'library-without-auth');
    refused(await plopIn(plain, ['route', 'loans', 'due:date', '--', '--owned']), 'run npx plop auth first');
    refused(
      await plopIn(plain, ['route', 'books', 'title:string', '--', '--access', 'read:public']),
      'access rules need auth in the service',
    );
    refused(await plopIn(plain, ['access', 'books', 'read:public']), 'access rules need auth in the service');
  });
});
