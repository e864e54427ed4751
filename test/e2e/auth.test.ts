import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
  // Members sign in with their library card provider or the city's; a nightly job uses a key.
  ['auth-provider', 'google'],
  ['auth-provider', 'okta', '--', '--issuer', 'https://acme.okta.com'],
  ['api-keys'],
];
const PASSWORD = 'a long enough passphrase';

const base = inject('baseService');
let service: string;

const plopIn = (dir: string, args: string[]) => run('npx', ['plop', ...args], { cwd: dir, env: userEnv() });
const shell = (command: string, env: Record<string, string> = {}) =>
  run('sh', ['-c', command], { cwd: service, env: userEnv(env) });

// The live service's OpenID Connect provider, on this machine.
const provider = new OAuth2Server();

beforeAll(async () => {
  service = await copyService(base.dir, 'library-under-test');
  for (const args of COMMANDS) expectSuccess(await plopIn(service, args), `npx plop ${args.join(' ')}`);
  // auth added jose and @node-rs/argon2 to package.json; auth-provider, openid-client.
  await install(service);
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
});
afterAll(() => provider.stop());

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

    const providerSettings = {
      GOOGLE_ISSUER: provider.issuer.url ?? '',
      GOOGLE_CLIENT_ID: 'library',
      GOOGLE_CLIENT_SECRET: 'library-client-secret',
      // Nothing listens on the discard port: Okta is down for this run.
      OKTA_ISSUER: 'http://127.0.0.1:9',
      OKTA_CLIENT_ID: 'library',
      OKTA_CLIENT_SECRET: 'library-client-secret',
    };
    // One client makes every sign-in of the scenario (more than the default 10 a minute, which
    // the password and provider routes now share); the limit itself is the service tests' to prove.
    const env = { DATABASE_URL: dataDir, AUTH_RATE_LIMIT_MAX: '1000', ...providerSettings };
    await withServer(service, env, async (url) => {
      const call = async (method: string, path: string, token?: string, body?: unknown, headers = {}) => {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
            ...headers,
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

      // A nightly job's key: staff make it, it writes books within its scope and nothing else.
      const made = await call('POST', '/auth/api-keys', staff.accessToken, {
        name: 'nightly import',
        scopes: ['books:write'],
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const withKey = (method: string, path: string, body?: unknown) =>
        call(method, path, undefined, body, { 'x-api-key': made.body.key });
      expect((await withKey('POST', '/books', { title: 'The Word for World', authorId: author.body.id })).status).toBe(
        201,
      );
      expect((await withKey('POST', '/authors', { name: 'Octavia Butler' })).status).toBe(403);
      expect((await withKey('GET', '/auth/me')).status).toBe(403);
      expect((await call('GET', '/books', made.body.key)).status).toBe(200);
      const listed = await call('GET', '/auth/api-keys', staff.accessToken);
      expect(JSON.stringify(listed.body)).not.toContain(made.body.key);
      expect((await call('DELETE', `/auth/api-keys/${made.body.id}`, staff.accessToken)).status).toBe(204);
      expect((await withKey('POST', '/books', { title: 'Revoked', authorId: author.body.id })).status).toBe(401);

      // A member signs in with the provider, as a browser would: follow each redirect, keep the cookie.
      provider.service.on('beforeTokenSigning', (token) => {
        Object.assign(token.payload, { sub: 'ada-at-google', email: 'ADA@example.com', email_verified: true });
      });
      const started = await fetch(`${url}/auth/providers/google`, { redirect: 'manual' });
      expect(started.status).toBe(302);
      const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const atProvider = await fetch(started.headers.get('location') ?? '', { redirect: 'manual' });
      const back = new URL(atProvider.headers.get('location') ?? '');
      const callback = `${url}${back.pathname}${back.search}`;
      const signedIn = await fetch(callback, { headers: { cookie } });
      expect(signedIn.status).toBe(200);
      const viaGoogle = (await signedIn.json()) as { accessToken: string };
      // Linked to the account Ada registered, by its verified email: her loans are hers.
      expect((await call('GET', '/auth/me', viaGoogle.accessToken)).body.id).toBe(me.id);
      expect((await call('GET', '/loans', viaGoogle.accessToken)).body.data).toHaveLength(1);
      expect((await fetch(callback, { headers: { cookie } })).status).toBe(401);
      // Okta is down: 503, and the service goes on.
      const down = await call('GET', '/auth/providers/okta');
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).not.toBeNull();

      // The document names both schemes, and passes the linters under the service's rulesets.
      const document = (await call('GET', '/openapi.json')).body;
      expect(Object.keys(document.components.securitySchemes)).toEqual(['bearerAuth', 'apiKey']);
      expect(document.paths['/loans'].get.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
      expect(document.paths['/auth/api-keys'].post.security).toEqual([{ bearerAuth: [] }]);
      expect(document.paths['/books'].get.security).toBeUndefined();
      expect(Object.keys(document.paths['/books'].post.responses)).toEqual(expect.arrayContaining(['401', '403']));
      expect(await lintOpenApi(document, service)).toEqual([]);
      expect(JSON.stringify(document)).not.toMatch(/passwordHash|password_hash|secretHash|library-client-secret/);
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

  it('a provider twice, without an OpenID Connect issuer, or over http; api-keys twice', async () => {
    refused(await plopIn(service, ['auth-provider', 'google']), 'google is a sign-in provider of this service already');
    refused(await plopIn(service, ['auth-provider', 'github']), 'GitHub sign-in is OAuth 2.0 without OpenID Connect');
    refused(await plopIn(service, ['auth-provider', 'acme']), 'acme needs --issuer <url>');
    refused(
      await plopIn(service, ['auth-provider', 'acme', '--', '--issuer', 'http://sso.acme.example']),
      'an issuer must be https',
    );
    refused(await plopIn(service, ['auth-provider', 'Acme']), '"Acme" is not a provider name');
    refused(await plopIn(service, ['api-keys']), 'api-keys is installed in this service already');
  });

  it('--owned and --access before auth', async () => {
    const plain = await copyService(base.dir, 'library-without-auth');
    refused(await plopIn(plain, ['api-keys']), 'api-keys needs users to belong to: run npx plop auth first');
    refused(await plopIn(plain, ['auth-provider', 'google']), 'auth-provider needs users to belong to');
    refused(await plopIn(plain, ['route', 'loans', 'due:date', '--', '--owned']), 'run npx plop auth first');
    refused(
      await plopIn(plain, ['route', 'books', 'title:string', '--', '--access', 'read:public']),
      'access rules need auth in the service',
    );
    refused(await plopIn(plain, ['access', 'books', 'read:public']), 'access rules need auth in the service');
  });
});
