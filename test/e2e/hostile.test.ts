import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, serverUrl, skipReason } from '../support/postgres.js';
import { freePort, type Running, run, startUntilHealthy, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm } from '../support/service.js';

// What a hostile client or a careless operator does to a running service, which only
// whole processes show: two servers on one embedded directory, kill -9, SIGTERM while
// keep-alive clients keep sending, a database that is down or not migrated.

const RESOURCES = [
  ['authors', 'name:string email:email:unique bio:text?'],
  [
    'posts',
    'title:string:unique body:text? published:boolean=false status:enum(draft,live)=draft author:references(authors) publishedAt:datetime? meta:json?',
  ],
] as const;

const base = inject('baseService');
let service: string;

beforeAll(async () => {
  service = await copyService(base.dir, 'hostile-under-test');
  for (const [name, fields] of RESOURCES) {
    expectSuccess(await run('npx', ['plop', 'route', name, fields], { cwd: service, env: userEnv() }), name);
  }
  expectSuccess(await npm(['run', 'build'], service), 'npm run build');
});

async function serve(env: Record<string, string>): Promise<{ server: Running; url: string; port: number }> {
  const port = await freePort();
  const server = await startUntilHealthy('node', ['dist/server.js'], {
    cwd: service,
    env: userEnv({ PORT: String(port), LOG_LEVEL: 'warn', ...env }),
    url: `http://127.0.0.1:${port}/healthz`,
    timeoutMs: 30_000,
  });
  return { server, url: `http://127.0.0.1:${port}`, port };
}

async function send(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

describe('the embedded database has one writer', () => {
  it('a second process on the same directory refuses to start, naming it and the first; after kill -9 a restart takes over with every acknowledged write', async () => {
    const dataDir = join(service, '.data', 'one-writer');
    const first = await serve({ DATABASE_URL: dataDir });
    const ids: string[] = [];
    try {
      const author = await send(first.url, 'POST', '/authors', { name: 'Ada', email: 'ada@example.com' });
      expect(author.status).toBe(201);
      for (let i = 0; i < 20; i += 1) {
        const post = await send(first.url, 'POST', '/posts', { title: `Post ${i}`, authorId: author.body.id });
        expect(post.status).toBe(201);
        ids.push(post.body.id);
      }

      const second = await run('node', ['dist/server.js'], {
        cwd: service,
        env: userEnv({ PORT: String(await freePort()), DATABASE_URL: dataDir }),
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(
        `The embedded database in ${dataDir} is in use by process ${first.server.child.pid}`,
      );
      expect(second.stderr).not.toMatch(/\n\s+at /);
    } finally {
      first.server.child.kill('SIGKILL');
      await first.server.exited;
    }

    const restarted = await serve({ DATABASE_URL: dataDir });
    try {
      const listed = await send(restarted.url, 'GET', '/posts?limit=100');
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((post: { id: string }) => post.id).sort()).toEqual([...ids].sort());
      // The unique index and the table agree: the same email is still refused.
      expect((await send(restarted.url, 'POST', '/authors', { name: 'Ada', email: 'ADA@example.com' })).status).toBe(
        409,
      );
    } finally {
      expect(await restarted.server.stop('SIGTERM')).toBe(0);
    }

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const loose = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && (statSync(join(entry.parentPath, entry.name)).mode & 0o077) !== 0)
      .map((entry) => join(entry.parentPath, entry.name));
    expect(loose).toEqual([]);
  }, 120_000);

  it('a directory that cannot be created stops the start with one line naming it', async () => {
    const blocker = join(service, '.data', 'a-file');
    mkdirSync(join(service, '.data'), { recursive: true });
    writeFileSync(blocker, 'not a directory');
    const result = await run('node', ['dist/server.js'], {
      cwd: service,
      env: userEnv({ PORT: String(await freePort()), DATABASE_URL: join(blocker, 'db') }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The embedded database directory ${join(blocker, 'db')} cannot be used`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['a file', () => join(service, '.data', 'a-file'), 'it is not a directory'],
    // Node's own recursive mkdir loops forever on this one.
    [
      'a path the kernel refuses under an existing parent',
      () => '/proc/no-such-directory',
      'it cannot be created (ENOENT)',
    ],
  ])('DATABASE_URL naming %s stops the start with one line saying why', async (_what, dir, reason) => {
    mkdirSync(join(service, '.data'), { recursive: true });
    writeFileSync(join(service, '.data', 'a-file'), 'not a directory');
    const result = await run('node', ['dist/server.js'], {
      cwd: service,
      env: userEnv({ PORT: String(await freePort()), DATABASE_URL: dir() }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The embedded database directory ${dir()} cannot be used: ${reason}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port in use stops the start with one line naming it', async () => {
    const running = await serve({ DATABASE_URL: 'memory://' });
    try {
      const result = await run('node', ['dist/server.js'], {
        cwd: service,
        env: userEnv({ PORT: String(running.port), DATABASE_URL: 'memory://' }),
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `Cannot listen on 127.0.0.1:${running.port}: another process is listening there; stop it, or set PORT to a free port.`,
      );
    } finally {
      await running.server.stop('SIGTERM');
    }
  }, 60_000);
});

/** Reads one whole response (headers and Content-Length body) from a kept-alive socket. */
function nextResponse(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const onData = (data: Buffer) => {
      received += data.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? 0);
      if (end >= 0 && received.length >= end + 4 + length) {
        socket.off('data', onData);
        resolve(received);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed after ${JSON.stringify(received)}`)));
  });
}

describe('shutting down', () => {
  it('answers requests sent on kept-alive connections 0-50 ms after it starts shutting down, each with Connection: close', async () => {
    const { server, port } = await serve({ DATABASE_URL: 'memory://', SHUTDOWN_DRAIN: '300ms', LOG_LEVEL: 'info' });
    const delays = [0, 1, 5, 10, 20, 50];
    const sockets = await Promise.all(
      delays.map(async () => {
        const socket = connect(port, '127.0.0.1');
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.write('GET /posts HTTP/1.1\r\nHost: x\r\n\r\n');
        await nextResponse(socket);
        return socket;
      }),
    );
    server.child.kill('SIGTERM');
    // A request that reaches the process before its signal handler has run is served as any
    // other: the promise starts when the service says it is shutting down.
    while (!server.output().includes('shutting down')) await new Promise((resolve) => setTimeout(resolve, 1));
    const answers = await Promise.all(
      sockets.map(async (socket, i) => {
        await new Promise((resolve) => setTimeout(resolve, delays[i]));
        socket.write('GET /posts HTTP/1.1\r\nHost: x\r\n\r\n');
        return nextResponse(socket);
      }),
    );
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer).toMatch(/connection: close/i);
    }
    expect(await server.exited).toBe(0);
  }, 60_000);
});

describe('stopping from a terminal', () => {
  it('SIGINT (Ctrl-C) drains and exits 0, like SIGTERM', async () => {
    const { server, url } = await serve({ DATABASE_URL: 'memory://', SHUTDOWN_DRAIN: '0ms', LOG_LEVEL: 'info' });
    expect((await send(url, 'GET', '/posts')).status).toBe(200);
    expect(await server.stop('SIGINT')).toBe(0);
    expect(server.output()).toContain('"signal":"SIGINT"');
  }, 60_000);
});

describe('hostile bodies', () => {
  it('a json field nested 5,000 levels deep is a 400 naming it, and the list still reads', async () => {
    const { server, url } = await serve({ DATABASE_URL: 'memory://' });
    try {
      const author = await send(url, 'POST', '/authors', { name: 'Ada', email: 'ada@example.com' });
      // Written as text: JSON.stringify itself runs out of stack on a value this deep.
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const response = await fetch(`${url}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"title":"Deep","authorId":"${author.body.id}","meta":${deep}}`,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: [expect.objectContaining({ path: 'meta' })] });
      expect((await send(url, 'GET', '/posts')).status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  }, 60_000);
});

describe('a database that is down or behind', () => {
  it('data routes answer 503 problem+json with Retry-After while the server cannot be reached, and /readyz says so', async () => {
    const { server, url } = await serve({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      for (const [method, path, body] of [
        ['GET', '/posts', undefined],
        ['POST', '/authors', { name: 'Ada', email: 'ada@example.com' }],
        ['GET', '/readyz', undefined],
      ] as const) {
        const response = await send(url, method, path, body);
        expect(response.status, `${method} ${path}`).toBe(503);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.headers.get('retry-after')).toBe('5');
      }
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  }, 60_000);

  it.skipIf(serverUrl === undefined)(
    'on a server not yet migrated, /readyz and data routes answer 503 until npm run db:migrate, then 200',
    async () => {
      const database = await createTestDatabase(service);
      try {
        const { server, url } = await serve({ DATABASE_URL: database.url });
        try {
          const ready = await send(url, 'GET', '/readyz');
          expect(ready.status).toBe(503);
          expect(ready.body.detail).toContain('2 migration(s)');
          expect((await send(url, 'GET', '/posts')).status).toBe(503);
          expectSuccess(await npm(['run', 'db:migrate'], service, { DATABASE_URL: database.url }), 'db:migrate');
          expect((await send(url, 'GET', '/readyz')).status).toBe(200);
          expect((await send(url, 'GET', '/posts')).status).toBe(200);
        } finally {
          expect(await server.stop('SIGTERM')).toBe(0);
        }
      } finally {
        await database.drop();
      }
    },
    60_000,
  );
  if (serverUrl === undefined) skipReason('readiness before migrations');
});
