import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBalancer, startCuttableLink } from '../support/fleet.js';
import { createTestDatabase, serverUrl, skipReason } from '../support/postgres.js';
import { freePort, type Running, run, startUntilHealthy, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm } from '../support/service.js';

// Three instances of one service on one PostgreSQL database and one Redis, behind a
// round-robin balancer: what a platform runs, and what a single process cannot show.

const redisUrl = process.env.TEST_REDIS_URL?.trim() || undefined;
const skip =
  skipReason('three instances behind a balancer') ??
  (redisUrl === undefined ? 'TEST_REDIS_URL is not set: skipping three instances sharing Redis' : undefined);
if (skip !== undefined && serverUrl !== undefined) console.warn(skip);

const RATE_LIMIT_MAX = 30;
const base = inject('baseService');

// Each phase is its own client (the instances trust the balancer's X-Forwarded-For), so
// one phase's count never spends another's limit.
const newClient = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

type Sql = ((strings: TemplateStringsArray, ...values: unknown[]) => Promise<Record<string, unknown>[]>) & {
  end(): Promise<void>;
};

describe.skipIf(skip !== undefined)('three instances on one database and one Redis', () => {
  let service: string;
  let database: { url: string; drop(): Promise<void> };
  let redisLink: Awaited<ReturnType<typeof startCuttableLink>>;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;
  let sql: Sql;
  const ports: number[] = [];
  const instances: Running[] = [];

  const start = (port: number) =>
    startUntilHealthy('node', ['dist/server.js'], {
      cwd: service,
      env: userEnv({
        PORT: String(port),
        DATABASE_URL: database.url,
        DB_MIGRATE_ON_START: 'true',
        REDIS_URL: `redis://127.0.0.1:${redisLink.port}`,
        TRUST_PROXY: '127.0.0.1',
        RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
        // Redis's recovery is an info line.
        LOG_LEVEL: 'info',
      }),
      url: `http://127.0.0.1:${port}/readyz`,
      timeoutMs: 60_000,
    });

  const send = async (path: string, client: string, init: RequestInit = {}) => {
    const response = await fetch(`${balancer.url}${path}`, {
      ...init,
      headers: { 'x-forwarded-for': client, 'content-type': 'application/json', ...init.headers },
    });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    service = await copyService(base.dir, 'fleet');
    expectSuccess(
      await run('npx', ['plop', 'route', 'notes', 'title:string body:text?'], { cwd: service, env: userEnv() }),
      'npx plop route notes',
    );
    expectSuccess(await npm(['run', 'build'], service), 'npm run build');
    database = await createTestDatabase(service);
    const url = new URL(redisUrl ?? '');
    redisLink = await startCuttableLink({ host: url.hostname, port: Number(url.port || 6379) });
    for (let i = 0; i < 3; i++) ports.push(await freePort());
    // All three at once, each migrating at start.
    instances.push(...(await Promise.all(ports.map(start))));
    balancer = await startBalancer(ports);
    sql = (createRequire(join(service, 'package.json'))('postgres') as (url: string, options: object) => Sql)(
      database.url,
      { max: 1, onnotice: () => {} },
    );
  }, 300_000);

  afterAll(async () => {
    await balancer?.close();
    await Promise.all(instances.map((instance) => instance.stop('SIGKILL')));
    await redisLink?.close();
    await sql?.end();
    await database?.drop();
  });

  it('applied each migration once, though all three migrated at the same time', async () => {
    const journal = JSON.parse(readFileSync(join(service, 'drizzle/meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const [row] = await sql`select count(*)::int as applied from drizzle.__drizzle_migrations`;
    expect(row?.applied).toBe(journal.entries.length);
    expect(journal.entries.length).toBeGreaterThan(0);
  });

  it('holds one rate limit across the three (within one request per instance)', async () => {
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT_MAX * 2; i++) statuses.push(await send('/notes', client));
    const served = statuses.filter((status) => status === 200).length;
    expect(served).toBeGreaterThanOrEqual(RATE_LIMIT_MAX);
    expect(served).toBeLessThanOrEqual(RATE_LIMIT_MAX + ports.length);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).toBe(true);
  });

  it('loses no request while all three restart one after another under about 200 requests a second', async () => {
    const results: Promise<{ method: string; status: number | string }>[] = [];
    const started = performance.now();
    let writes = 0;
    let sending = true;
    const load = (async () => {
      for (let i = 0; sending; i++) {
        const write = i % 4 === 0;
        if (write) writes++;
        results.push(
          send(
            '/notes',
            newClient(),
            write ? { method: 'POST', body: JSON.stringify({ title: `note ${i}` }) } : {},
          ).then(
            (status) => ({ method: write ? 'POST' : 'GET', status }),
            (error: Error) => ({ method: write ? 'POST' : 'GET', status: error.message }),
          ),
        );
        // On a schedule, not after each send: one every 5 ms, 200 a second.
        await sleep(Math.max(0, started + (i + 1) * 5 - performance.now()));
      }
    })();
    await sleep(500);
    for (const [index, port] of ports.entries()) {
      const instance = instances[index];
      expect(await instance?.stop('SIGTERM'), `instance on ${port} exits 0 after draining`).toBe(0);
      instances[index] = await start(port);
      // The balancer sees it ready again before the next one goes.
      await sleep(300);
    }
    await sleep(500);
    sending = false;
    await load;
    const answered = await Promise.all(results);
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `rolling restart: ${answered.length} requests (${writes} writes) in ${seconds.toFixed(1)} s, ${(answered.length / seconds).toFixed(0)}/s`,
    );
    const unexpected = answered.filter(({ method, status }) => status !== (method === 'POST' ? 201 : 200));
    expect(answered.length).toBeGreaterThan(600);
    expect(unexpected).toEqual([]);
    // Every acknowledged write is there.
    const [row] = await sql`select count(*)::int as notes from notes`;
    expect(row?.notes).toBe(writes);
  }, 120_000);

  it("keeps answering when Redis's connection is cut (the limit fails open, logged once per instance), and limits again once it is back", async () => {
    const before = instances.map((instance) => instance.output().length);
    await redisLink.cut();
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT_MAX * 2; i++) statuses.push(await send('/notes', client));
    expect(statuses.every((status) => status === 200)).toBe(true);
    for (const [index, instance] of instances.entries()) {
      const logged = instance.output().slice(before[index]);
      expect(logged.match(/Redis is not answering: requests are served without the shared rate limit/g)).toHaveLength(
        1,
      );
    }

    await redisLink.restore();
    // Each instance reconnects by itself within its 2 s back-off.
    const deadline = Date.now() + 10_000;
    while (!instances.every((instance) => instance.output().includes('Redis answers again')) && Date.now() < deadline) {
      await sleep(100);
    }
    const again = newClient();
    const after: number[] = [];
    for (let i = 0; i < RATE_LIMIT_MAX + ports.length + 1; i++) after.push(await send('/notes', again));
    expect(after).toContain(429);
  }, 60_000);
});
