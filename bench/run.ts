// `npm run bench`: how fast the generators work and how fast the code they write serves,
// each against a baseline measured in the same run on the same machine. It prints a
// markdown table and writes the figures as JSON to bench/results/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { generators } from '../generators/index.js';
import { resolveAnswers } from '../src/engine/generator.js';
import { planChanges } from '../src/engine/plan.js';
import { runGenerator } from '../src/engine/runner.js';
import { createMysqlDatabase, mysqlUrl } from '../test/support/mysql.js';
import { createTestDatabase, serverUrl } from '../test/support/postgres.js';
import { freePort, type Running, run, startUntilHealthy, userEnv } from '../test/support/process.js';
import { copyService, expectSuccess, install, npm, packRoot } from '../test/support/service.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 4);
// Generated and hand-written alternate this many times each: load on a shared machine drifts.
const HTTP_ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const FIELDS = 'title:string body:text? published:boolean=false views:integer=0 price:decimal=0 tag:string:index';
// Which parts to run, comma separated: all of them unless BENCH_SECTIONS names some.
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? 'generation,http,instructions,access,loop').split(','));
// Which databases the HTTP part serves from: every one it can reach unless BENCH_DATABASES names some.
const DATABASES = new Set((process.env.BENCH_DATABASES ?? 'PGlite,PostgreSQL,SQLite,MySQL').split(','));

interface Stat {
  median: number;
  min: number;
  max: number;
}

/** CPU time a process has used so far, in ms: per request it is steadier than req/s on shared cores. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
}

const stat = (samples: number[]): Stat => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
};

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

async function sample(times: number, action: (i: number) => Promise<unknown>): Promise<Stat> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) samples.push(await timed(() => action(i)));
  return stat(samples);
}

// The hand-written baselines (bench/baseline/server.mjs): `sameFeature` has every feature the
// generated service pays for on each request, `minimal` none of them.
type Kind = 'generated' | 'sameFeature' | 'minimal';
const KINDS: readonly Kind[] = ['generated', 'sameFeature', 'minimal'];
const BASELINES = { sameFeature: 'same-feature', minimal: 'minimal' } as const;
// The issue's targets for CPU per request, generated over baseline.
const TARGETS = { sameFeature: 1.1, minimal: 1.3 } as const;
const WARM_UP_SECONDS = 2;

interface Load {
  rps: number;
  p99: number;
  cpuUs: number;
}

/** Each kind HTTP_ROUNDS times, alternating, since load on a shared machine drifts. */
async function alternate<K extends string>(
  kinds: readonly K[],
  measure: (kind: K) => Promise<Load>,
): Promise<Record<K, Load[]>> {
  const samples = Object.fromEntries(kinds.map((kind) => [kind, [] as Load[]])) as Record<K, Load[]>;
  for (let round = 0; round < HTTP_ROUNDS; round += 1) {
    for (const kind of kinds) samples[kind].push(await measure(kind));
  }
  return samples;
}

/** A server of a service started with `node <script>` on a free port, for load to be put on it. */
async function serveForLoad(
  cwd: string,
  script: string,
  env: Record<string, string>,
  wrapper: readonly string[] = [],
): Promise<{ server: Running; url: string }> {
  const port = await freePort();
  const [first, ...rest] = wrapper;
  const [command, args] = first === undefined ? ['node', [script]] : [first, [...rest, 'node', script]];
  const server = await startUntilHealthy(command, args, {
    cwd,
    env: userEnv({
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
      DB_MIGRATE_ON_START: 'true',
      ...env,
    }),
    url: `http://127.0.0.1:${port}/readyz`,
    // Under callgrind a service takes minutes to start.
    timeoutMs: wrapper.length > 0 ? 900_000 : 60_000,
  });
  return { server, url: `http://127.0.0.1:${port}` };
}

interface Target {
  server: Running;
  url: string;
  id: string;
}

interface Measurement {
  name: string;
  method: 'GET' | 'POST';
  path: (id: string) => string;
  headers?: Record<string, string>;
  /** Headers for each request in turn, for requests that must differ from one another. */
  nextHeaders?: () => Record<string, string>;
}

interface HttpDatabase {
  label: string;
  /** The service the generated server and the baselines run from. */
  dir: string;
  baselineEnv?: Record<string, string>;
  /** A database for each kind of server, and how to drop them. */
  urls: () => Promise<{ urls: Record<Kind, string>; drop: () => Promise<void> }>;
}

/** The three servers on `database`, each with 100 rows; `wrapper` runs each under callgrind. */
type StartServers = (
  database: HttpDatabase,
  urls: Record<Kind, string>,
  wrapper?: (kind: Kind) => readonly string[],
  env?: Record<string, string>,
) => Promise<Record<Kind, Target>>;

const HTTP_MEASUREMENTS: readonly Measurement[] = [
  { name: 'GET /items/:id', path: (id) => `/items/${id}`, method: 'GET' },
  { name: 'GET /items?limit=20', path: () => '/items?limit=20', method: 'GET' },
  // A filtered page: its SQL is not the first page's, and a generated service prepares it once per shape.
  { name: 'GET /items?tag=tag-1&limit=20', path: () => '/items?tag=tag-1&limit=20', method: 'GET' },
  { name: 'POST /items', path: () => '/items', method: 'POST' },
];

/**
 * Requests of `measurement` against one server, `connections` at a time: for `duration`
 * seconds, or until `amount` have been answered. Any answer but a 2xx fails the bench.
 */
async function requests(
  target: Target,
  measurement: Measurement,
  connections: number,
  limit: { duration: number } | { amount: number },
): Promise<autocannon.Result> {
  const result = await autocannon({
    url: `${target.url}${measurement.path(target.id)}`,
    method: measurement.method,
    connections,
    // A request under callgrind can take seconds.
    ...('amount' in limit ? { ...limit, timeout: 120 } : limit),
    headers: measurement.headers ?? {},
    ...(measurement.nextHeaders === undefined
      ? {}
      : {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...request.headers, ...measurement.nextHeaders?.() },
              }),
            },
          ],
        }),
    ...(measurement.method === 'POST'
      ? {
          headers: { 'content-type': 'application/json', ...measurement.headers },
          body: JSON.stringify({ title: 'Load', body: null, views: 1, price: '1.50', tag: 'load' }),
        }
      : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    const statuses = JSON.stringify(result.statusCodeStats);
    throw new Error(
      `${target.url} ${measurement.name}: ${result.non2xx} non-2xx (${statuses}), ${result.errors} errors`,
    );
  }
  return result;
}

/** One autocannon run against one server, with the CPU time the server spent on it. */
async function load(target: Target, measurement: Measurement, seconds: number): Promise<Load> {
  const cpuBefore = cpuMs(target.server.child.pid);
  const result = await requests(target, measurement, 10, { duration: seconds });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuUs: ((cpuMs(target.server.child.pid) - cpuBefore) * 1000) / result.requests.total,
  };
}

// Instructions per request, counted by valgrind's callgrind, beside the CPU time: on a shared
// machine CPU time per request moved by a tenth or more from one round to the next, the main
// thread's instruction count by 3% between two servers of the same build. Time in the kernel
// is not counted; every kind of server makes the same system calls for a request.
const CALLGRIND_WARM_UP = Number(process.env.BENCH_CALLGRIND_WARM_UP ?? 2000);
const CALLGRIND_REQUESTS = Number(process.env.BENCH_CALLGRIND_REQUESTS ?? 1500);

/** The instructions a server under callgrind runs for each of CALLGRIND_REQUESTS requests, after a warm-up. */
async function instructionsPerRequest(target: Target, measurement: Measurement, dumps: string): Promise<number> {
  const pid = target.server.child.pid;
  if (pid === undefined) throw new Error('the server under callgrind has no pid');
  const control = async (option: '--zero' | '--dump') =>
    ok(`callgrind_control ${option}`, run('callgrind_control', [option, String(pid)], { cwd: dumps }));
  await requests(target, measurement, 4, { amount: CALLGRIND_WARM_UP });
  await control('--zero');
  await requests(target, measurement, 4, { amount: CALLGRIND_REQUESTS });
  await control('--dump');
  // Each dump is written as <file>.<pid>.<n>-<thread>; the newest of thread 01 is the main
  // thread's, just asked for. V8's compiler and GC helper threads are left out: they run
  // when they run, and counted in, they moved a count by a fifth from one run to the next.
  const sequence = (file: string) => Number(file.split('.').at(-1)?.split('-')[0]);
  const dump = readdirSync(dumps)
    .filter((file) => file.includes(`.${pid}.`) && file.endsWith('-01'))
    .sort((a, b) => sequence(a) - sequence(b))
    .at(-1);
  const totals = dump === undefined ? undefined : /^totals: (\d+)/m.exec(readFileSync(join(dumps, dump), 'utf8'));
  if (totals?.[1] === undefined) throw new Error(`callgrind wrote no totals for ${pid} in ${dumps}`);
  return Number(totals[1]) / CALLGRIND_REQUESTS;
}

/** The HTTP comparison again, counting instructions: every server under callgrind, all three at once. */
async function countInstructions(databases: readonly HttpDatabase[], startServers: StartServers): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    log('valgrind is not installed: instruction counts skipped');
    return;
  }
  log('instructions per request, under callgrind');
  const counts: Record<string, Record<Kind, number>> = {};
  for (const database of databases) {
    if (database.label === 'PGlite') {
      // Its PostgreSQL is WebAssembly that V8 compiles as it starts: under callgrind, not started after 8 minutes.
      log('PGlite is not counted: under callgrind it had not started after 8 minutes');
      continue;
    }
    const dumps = mkdtempSync(join(work, 'callgrind-'));
    const { urls, drop } = await database.urls();
    const servers = await startServers(
      database,
      urls,
      (kind) => [
        'valgrind',
        '--tool=callgrind',
        '--separate-threads=yes',
        // V8 writes the code it compiles into memory it then runs.
        '--smc-check=all-non-file',
        `--callgrind-out-file=${join(dumps, `${kind}.%p`)}`,
      ],
      // Code runs some 50 times slower under callgrind: no server may shed load for that.
      { LOAD_SHED_EVENT_LOOP_DELAY: '1h', MAX_EVENT_LOOP_DELAY_MS: '3600000' },
    );
    for (const measurement of HTTP_MEASUREMENTS) {
      const count = (kind: Kind) => instructionsPerRequest(servers[kind], measurement, dumps);
      const [generated, sameFeature, minimal] = await Promise.all([
        count('generated'),
        count('sameFeature'),
        count('minimal'),
      ]);
      counts[`${database.label} ${measurement.name}`] = { generated, sameFeature, minimal };
      const verdict = (baseline: number, target: number) =>
        `${(generated / baseline).toFixed(3)}x (target ${target.toFixed(2)}x${generated / baseline <= target ? ', met' : ', NOT met'})`;
      const thousands = (count: number) => `${(count / 1000).toFixed(0)}k`;
      rows.push(
        [
          `instructions ${database.label}`,
          `${measurement.name} vs same-feature hand-written`,
          `${thousands(generated)} vs ${thousands(sameFeature)} instructions/req`,
          verdict(sameFeature, TARGETS.sameFeature),
        ],
        [
          `instructions ${database.label}`,
          `${measurement.name} vs minimal hand-written`,
          `${thousands(generated)} vs ${thousands(minimal)} instructions/req`,
          verdict(minimal, TARGETS.minimal),
        ],
      );
    }
    // SIGKILL: on SIGTERM callgrind writes a last dump, which takes as long as the run.
    for (const { server } of Object.values(servers)) await server.stop('SIGKILL');
    await drop();
  }
  results.instructions = counts;
}

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

type Reader = 'signedIn' | 'newToken' | 'apiKey' | 'public';
const READERS: readonly Reader[] = ['signedIn', 'newToken', 'apiKey', 'public'];

/**
 * `count` access tokens for the user of `token`, each with its own session id, signed with
 * the service's key (from its .env) and library, as the service signs them.
 */
async function distinctTokens(serviceDir: string, token: string, count: number): Promise<string[]> {
  const jose = (await import(
    join(serviceDir, 'node_modules', 'jose', 'dist', 'webapi', 'index.js')
  )) as typeof import('jose');
  const secret = /^JWT_SECRET=(.*)$/m.exec(readFileSync(join(serviceDir, '.env'), 'utf8'))?.[1] ?? '';
  const key = new TextEncoder().encode(secret);
  const claims = jose.decodeJwt(token);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    tokens.push(
      await new jose.SignJWT({ ...claims, sid: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setExpirationTime('1h')
        .sign(key),
    );
  }
  return tokens;
}
const ok = async (what: string, promise: ReturnType<typeof run>) => expectSuccess(await promise, what);
const route = generators.find((generator) => generator.name === 'route');
if (route === undefined) throw new Error('no route generator');

const work = mkdtempSync(join(tmpdir(), 'bdk-bench-'));
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, runs: RUNS };
const rows: string[][] = [];
const ms = (value: number) => `${value.toFixed(0)} ms`;
const spread = (s: Stat) => `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;

try {
  log('generating and installing a service');
  const service = join(work, 'bench-service');
  await ok('plop service', run('npx', ['plop', 'service', service], { cwd: packRoot, env: userEnv() }));
  await install(service);
  const pristine = await copyService(service, 'pristine');
  await ok('plop route items', run('npx', ['plop', 'route', 'items', FIELDS], { cwd: service, env: userEnv() }));

  if (SECTIONS.has('generation')) {
    // 1. Generation, cold processes, against the floor of starting node and npx at all.
    log('generation');
    const inService = (command: string, args: string[]) => run(command, args, { cwd: service, env: userEnv() });
    const floorNode = await sample(RUNS, () => inService('node', ['-e', '0']));
    const floorNpx = await sample(RUNS, () => inService('npx', ['--version']));
    // The external tools a route generation waits for, each on its own with nothing to do.
    const floorDrizzleKit = await sample(RUNS, () =>
      ok('drizzle-kit generate', inService(join('node_modules', '.bin', 'drizzle-kit'), ['generate'])),
    );
    const floorBiome = await sample(RUNS, () =>
      ok('biome check', inService(join('node_modules', '.bin', 'biome'), ['check', 'src/app.ts'])),
    );
    const plopRoute = await sample(RUNS, (i) =>
      ok('plop route', inService('npx', ['plop', 'route', `plopItems${i}`, FIELDS])),
    );
    const cliRoute = await sample(RUNS, (i) =>
      ok(
        'cli route',
        inService('npx', ['backend-dev-kit', 'route', '--name', `cliItems${i}`, '--fields', FIELDS, '--json']),
      ),
    );
    const context = { cwd: service, destBasePath: service, force: false, catalogue: generators };
    const engineOnly = await sample(RUNS, async (i) => {
      const { answers } = resolveAnswers(route, { name: `engineItems${i}`, fields: FIELDS }, context);
      planChanges(await route.prepare(answers, context).render(), { root: service, force: false });
    });
    const inProcess = await sample(RUNS, async (i) => {
      const result = await runGenerator(
        route,
        { name: `runnerItems${i}`, fields: FIELDS },
        { ...context, dryRun: false },
      );
      if (!result.ok) throw new Error(result.errors.join('\n'));
    });
    results.generation = {
      floorNode,
      floorNpx,
      floorDrizzleKit,
      floorBiome,
      plopRoute,
      cliRoute,
      engineOnly,
      inProcess,
    };
    rows.push(
      ['generation', 'node -e 0 (floor)', spread(floorNode), ''],
      ['generation', 'npx --version (floor)', spread(floorNpx), ''],
      ['generation', 'drizzle-kit generate, nothing to do (external tool)', spread(floorDrizzleKit), ''],
      ['generation', 'biome check of one file (external tool)', spread(floorBiome), ''],
      [
        'generation',
        'npx plop route, 6 fields, with migration',
        spread(plopRoute),
        `${(plopRoute.median / floorNpx.median).toFixed(1)}x npx floor`,
      ],
      [
        'generation',
        'npx backend-dev-kit route --json',
        spread(cliRoute),
        `${(cliRoute.median / floorNpx.median).toFixed(1)}x npx floor`,
      ],
      ['generation', 'in-process runner (render, plan, Biome, drizzle-kit, write)', spread(inProcess), ''],
      ['generation', 'in-process engine only (render and plan)', spread(engineOnly), ''],
    );
  }

  /** A service generated for `database` with the items resource, installed and built, the baseline beside it. */
  const itemsService = async (database: 'mysql' | 'sqlite'): Promise<string> => {
    log(`generating and installing a service for ${database}`);
    const dir = join(work, `bench-${database}`);
    await ok(
      `plop service --db ${database}`,
      run('npx', ['plop', 'service', dir, '--', '--db', database], { cwd: packRoot, env: userEnv() }),
    );
    await install(dir);
    await ok('plop route items', run('npx', ['plop', 'route', 'items', FIELDS], { cwd: dir, env: userEnv() }));
    await ok('build', npm(['run', 'build'], dir));
    copyFileSync(join(packRoot, 'bench', 'baseline', 'server.mjs'), join(dir, 'baseline.mjs'));
    return dir;
  };

  if (SECTIONS.has('http') || SECTIONS.has('instructions')) {
    // 2. HTTP: generated vs hand-written, on the same table and data.
    log('HTTP: the servers');
    await ok('build', npm(['run', 'build'], service));
    copyFileSync(join(packRoot, 'bench', 'baseline', 'server.mjs'), join(service, 'baseline.mjs'));
    const inMemory = async () => ({
      urls: { generated: 'memory://', sameFeature: 'memory://', minimal: 'memory://' },
      drop: async () => {},
    });
    const databases: HttpDatabase[] = [{ label: 'PGlite', dir: service, urls: inMemory }];
    if (DATABASES.has('SQLite')) {
      // The same resource in a service generated for SQLite, against a baseline on better-sqlite3.
      const sqlite = await itemsService('sqlite');
      databases.push({ label: 'SQLite', dir: sqlite, baselineEnv: { BASELINE_DATABASE: 'sqlite' }, urls: inMemory });
    }
    if (serverUrl !== undefined) {
      databases.push({
        label: 'PostgreSQL',
        dir: service,
        urls: async () => {
          // A database each: a baseline creates its table as it starts.
          const generated = await createTestDatabase(service);
          const sameFeature = await createTestDatabase(service);
          const minimal = await createTestDatabase(service);
          await ok('db:migrate', npm(['run', 'db:migrate'], service, { DATABASE_URL: generated.url }));
          return {
            urls: { generated: generated.url, sameFeature: sameFeature.url, minimal: minimal.url },
            drop: async () => Promise.all([generated.drop(), sameFeature.drop(), minimal.drop()]).then(() => {}),
          };
        },
      });
    } else {
      log('TEST_DATABASE_URL is not set: PostgreSQL throughput skipped');
    }
    if (DATABASES.has('MySQL') && mysqlUrl !== undefined) {
      // The same resource in a service generated for MySQL, against a baseline on mysql2.
      const mysql = await itemsService('mysql');
      databases.push({
        label: 'MySQL',
        dir: mysql,
        baselineEnv: { BASELINE_DATABASE: 'mysql' },
        urls: async () => {
          // A database each: a baseline creates its table as it starts.
          const generated = await createMysqlDatabase(mysql);
          const sameFeature = await createMysqlDatabase(mysql);
          const minimal = await createMysqlDatabase(mysql);
          await ok('db:migrate', npm(['run', 'db:migrate'], mysql, { DATABASE_URL: generated.url }));
          return {
            urls: { generated: generated.url, sameFeature: sameFeature.url, minimal: minimal.url },
            drop: async () => Promise.all([generated.drop(), sameFeature.drop(), minimal.drop()]).then(() => {}),
          };
        },
      });
    } else if (DATABASES.has('MySQL')) {
      log('TEST_MYSQL_URL is not set: MySQL throughput skipped');
    }
    const startServers: StartServers = async (database, urls, wrapper = () => [], env = {}) => {
      const start = async (kind: Kind): Promise<Target> => {
        const { server, url } =
          kind === 'generated'
            ? await serveForLoad(database.dir, 'dist/server.js', { DATABASE_URL: urls[kind], ...env }, wrapper(kind))
            : await serveForLoad(
                database.dir,
                'baseline.mjs',
                { DATABASE_URL: urls[kind], BASELINE: BASELINES[kind], ...database.baselineEnv, ...env },
                wrapper(kind),
              );
        let id = '';
        for (let i = 0; i < 100; i += 1) {
          const response = await fetch(`${url}/items`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              title: `Item ${i}`,
              body: 'Some text.',
              views: i,
              price: '9.99',
              tag: `tag-${i % 5}`,
            }),
          });
          id = ((await response.json()) as { id: string }).id;
        }
        return { server, url, id };
      };
      // At once: under callgrind each takes minutes to start.
      const [generated, sameFeature, minimal] = await Promise.all([
        start('generated'),
        start('sameFeature'),
        start('minimal'),
      ]);
      return { generated, sameFeature, minimal };
    };
    const served = databases.filter(({ label }) => DATABASES.has(label));
    const http: Record<string, unknown> = {};
    for (const database of SECTIONS.has('http') ? served : []) {
      const { urls, drop } = await database.urls();
      const servers = await startServers(database, urls);
      for (const measurement of HTTP_MEASUREMENTS) {
        const hit = (kind: Kind, seconds: number) => load(servers[kind], measurement, seconds);
        // JIT warm-up, not measured: the first seconds of a fresh process are slower.
        for (const kind of KINDS) await hit(kind, WARM_UP_SECONDS);
        const samples = await alternate(KINDS, (kind) => hit(kind, HTTP_SECONDS));
        const median = (kind: Kind, key: keyof Load) => stat(samples[kind].map((sample) => sample[key])).median;
        // Each round's ratio, then their median: load on a shared machine drifts between
        // rounds more than within one.
        const ratio = (baseline: Exclude<Kind, 'generated'>, key: keyof Load) =>
          stat(samples.generated.map((sample, round) => sample[key] / (samples[baseline][round]?.[key] ?? Number.NaN)))
            .median;
        const ratios = {
          cpu: { sameFeature: ratio('sameFeature', 'cpuUs'), minimal: ratio('minimal', 'cpuUs') },
          rps: { sameFeature: ratio('sameFeature', 'rps'), minimal: ratio('minimal', 'rps') },
        };
        http[`${database.label} ${measurement.name}`] = { ...samples, ratios };
        const describe = (kind: Kind) =>
          `${median(kind, 'cpuUs').toFixed(0)} us CPU/req, ${median(kind, 'rps').toFixed(0)} req/s`;
        const verdict = (baseline: Exclude<Kind, 'generated'>) =>
          `${ratios.cpu[baseline].toFixed(2)}x CPU/req (target ${TARGETS[baseline].toFixed(2)}x${ratios.cpu[baseline] <= TARGETS[baseline] ? ', met' : ', NOT met'}), ${ratios.rps[baseline].toFixed(2)}x req/s`;
        rows.push(
          [
            `HTTP ${database.label}`,
            `${measurement.name} vs same-feature hand-written`,
            `${describe('generated')} vs ${describe('sameFeature')}`,
            verdict('sameFeature'),
          ],
          [
            `HTTP ${database.label}`,
            `${measurement.name} vs minimal hand-written`,
            `${describe('generated')} vs ${describe('minimal')}`,
            verdict('minimal'),
          ],
        );
      }
      for (const { server } of Object.values(servers)) await server.stop('SIGTERM');
      await drop();
    }
    results.http = http;
    if (SECTIONS.has('instructions')) await countInstructions(served, startServers);
  }

  if (SECTIONS.has('access')) {
    // 3. What the access check costs: one read by id, signed in on a protected route against
    // the same route public, on one server, A B A B.
    log('access check');
    const secured = await copyService(pristine, 'secured');
    const inSecured = (args: string[]) => run('npx', ['plop', ...args], { cwd: secured, env: userEnv() });
    await ok('plop auth', inSecured(['auth']));
    await ok('plop api-keys', inSecured(['api-keys']));
    await ok('plop route items', inSecured(['route', 'items', FIELDS]));
    await ok('plop route openItems', inSecured(['route', 'openItems', FIELDS, '--', '--access', 'all:public']));
    await install(secured);
    await ok('build', npm(['run', 'build'], secured));
    const access: Record<string, unknown> = {};
    // Databases of its own: the ones above hold the first service's tables.
    const accessDatabases: Array<{ label: string; open: () => Promise<{ url: string; drop: () => Promise<void> }> }> = [
      { label: 'PGlite', open: async () => ({ url: 'memory://', drop: async () => {} }) },
      ...(serverUrl === undefined ? [] : [{ label: 'PostgreSQL', open: () => createTestDatabase(secured) }]),
    ];
    for (const database of accessDatabases) {
      const target = await database.open();
      const { server, url } = await serveForLoad(secured, 'dist/server.js', {
        DATABASE_URL: target.url,
        AUTH_RATE_LIMIT_MAX: '1000000',
      });
      const json = async (path: string, body: unknown, token?: string) => {
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          },
          body: JSON.stringify(body),
        });
        return (await response.json()) as Record<string, string>;
      };
      const credentials = { email: 'bench@example.com', password: 'a bench passphrase' };
      await json('/auth/register', credentials);
      const { accessToken = '' } = await json('/auth/login', credentials);
      const row = { title: 'Item', body: null, views: 1, price: '1.50', tag: 'tag' };
      const key = await json('/auth/api-keys', { name: 'bench', scopes: ['items:read'] }, accessToken);
      const targets = {
        protected: { server, url, id: (await json('/items', row, accessToken)).id ?? '' },
        public: { server, url, id: (await json('/open-items', row, accessToken)).id ?? '' },
      };
      // More distinct tokens than the service remembers, signed as it signs them, for the
      // worst case: every request a token it has not seen.
      const distinct = await distinctTokens(secured, accessToken, 30_000);
      let next = 0;
      const reads: Record<Reader, Measurement> = {
        signedIn: {
          name: 'GET /items/:id, signed in',
          path: (id) => `/items/${id}`,
          method: 'GET',
          headers: { authorization: `Bearer ${accessToken}` },
        },
        newToken: {
          name: 'GET /items/:id, a new token each request',
          path: (id) => `/items/${id}`,
          method: 'GET',
          nextHeaders: () => ({ authorization: `Bearer ${distinct[next++ % distinct.length]}` }),
        },
        apiKey: {
          name: 'GET /items/:id, with an API key',
          path: (id) => `/items/${id}`,
          method: 'GET',
          headers: { 'x-api-key': key.key ?? '' },
        },
        public: { name: 'GET /open-items/:id, public', path: (id) => `/open-items/${id}`, method: 'GET' },
      };
      const on = (reader: Reader) => (reader === 'public' ? targets.public : targets.protected);
      for (const reader of READERS) await load(on(reader), reads[reader], WARM_UP_SECONDS);
      const samples = await alternate(READERS, (reader) => load(on(reader), reads[reader], HTTP_SECONDS));
      await server.stop('SIGTERM');
      await target.drop();
      const median = (reader: Reader, key: keyof Load) => stat(samples[reader].map((sample) => sample[key])).median;
      const ratio = (reader: Reader) => median(reader, 'cpuUs') / median('public', 'cpuUs');
      access[database.label] = {
        ...samples,
        cpuRatio: ratio('signedIn'),
        newTokenCpuRatio: ratio('newToken'),
        apiKeyCpuRatio: ratio('apiKey'),
      };
      const describe = (reader: Reader) =>
        `${median(reader, 'rps').toFixed(0)} req/s, ${median(reader, 'cpuUs').toFixed(0)} us CPU/req`;
      rows.push(
        [
          `access ${database.label}`,
          'GET by id, signed in (JWT checked, rule checked) vs the same route public',
          `${describe('signedIn')} vs ${describe('public')}`,
          `${ratio('signedIn').toFixed(2)}x CPU per request (target: under 1.10x)`,
        ],
        [
          `access ${database.label}`,
          'the same, each request with a token the service has not seen (signature verified every time)',
          `${describe('newToken')} vs ${describe('public')}`,
          `${ratio('newToken').toFixed(2)}x CPU per request`,
        ],
        [
          `access ${database.label}`,
          'the same with an API key (one indexed read of api_keys and users per request)',
          `${describe('apiKey')} vs ${describe('public')}`,
          `${ratio('apiKey').toFixed(2)}x CPU per request`,
        ],
      );
    }
    results.access = access;
  }

  if (SECTIONS.has('loop')) {
    // 4. The developer loop of a generated service, with 1 and with 5 resources.
    log('developer loop');
    const loop: Record<string, unknown> = {};
    let resources = 0;
    for (const target of [1, 5]) {
      for (; resources < target; resources += 1) {
        await ok(
          'plop route',
          run('npx', ['plop', 'route', `things${resources}`, FIELDS], { cwd: pristine, env: userEnv() }),
        );
      }
      const test = await sample(3, () => ok('npm test', npm(['test'], pristine)));
      const typecheck = await sample(3, () => ok('npm run typecheck', npm(['run', 'typecheck'], pristine)));
      loop[`${target}`] = { test, typecheck };
      rows.push(
        ['developer loop', `npm test, ${target} resource(s)`, spread(test), ''],
        ['developer loop', `npm run typecheck, ${target} resource(s)`, spread(typecheck), ''],
      );
    }
    const perResource = ((loop['5'] as { test: Stat }).test.median - (loop['1'] as { test: Stat }).test.median) / 4;
    rows.push(['developer loop', 'npm test, added per resource', ms(perResource), '']);
    results.developerLoop = { ...loop, testPerResource: perResource };
  }

  const table = [
    '| area | measure | median (min–max) | ratio |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  mkdirSync(join(packRoot, 'bench', 'results'), { recursive: true });
  const file = join(packRoot, 'bench', 'results', `bench-${results.date as string}.json`.replaceAll(':', '-'));
  writeFileSync(file, `${JSON.stringify({ ...results, table: rows }, null, 2)}\n`);
  log(`figures written to ${file}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
