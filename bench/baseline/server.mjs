// The hand-written baselines: what a careful engineer would write by hand for the same
// resource, with no generator: Fastify, JSON Schema routes (ajv validation and
// fast-json-stringify serialization) and the raw driver with prepared statements.
// BASELINE=same-feature (the default) meets the same requirements as the generated service
// where they cost time per request (a request logger at the same level, security headers,
// CORS, a rate limit, a request id in the answer, an ETag on a read, load shedding,
// compression), so the ratio against it measures the generated code, not the features;
// BASELINE=minimal has none of them, for what the features cost. It runs from inside a
// generated service's folder, so it uses the same library versions; BASELINE_DATABASE=sqlite
// runs it on SQLite (better-sqlite3), in a service generated for SQLite, and
// BASELINE_DATABASE=mysql on the MySQL server DATABASE_URL names (mysql2), in a service
// generated for MySQL.
import { hash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import Fastify from 'fastify';
import helmet from 'helmet';

const sameFeature = (process.env.BASELINE ?? 'same-feature') === 'same-feature';

const url = process.env.DATABASE_URL ?? 'memory://';
const port = Number(process.env.PORT ?? 3100);

// The same table: the generated service's own migration files.
const statements = readdirSync('drizzle')
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .flatMap((file) => readFileSync(join('drizzle', file), 'utf8').split('--> statement-breakpoint'));

const COLUMNS = 'id, title, body, published, views, price, tag, created_at as "createdAt", updated_at as "updatedAt"';

// The three statements, with `$n` placeholders; `query` runs one, prepared, and returns its rows.
const SQL = {
  byId: `select ${COLUMNS} from items where id = $1`,
  firstPage: `select ${COLUMNS} from items order by created_at desc, id desc limit $1`,
  taggedPage: `select ${COLUMNS} from items where tag = $1 order by created_at desc, id desc limit $2`,
  insert: `insert into items (title, body, published, views, price, tag) values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
};

let query;
let close;
if (process.env.BASELINE_DATABASE === 'sqlite') {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  for (const statement of statements) db.exec(statement);
  // The service's SQLite columns: a boolean as 0 or 1, a decimal in hundredths, a time in ms.
  const toItem = (row) => ({
    ...row,
    published: row.published === 1,
    price: (row.price / 100).toFixed(2),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  });
  const prepared = new Map(Object.values(SQL).map((text) => [text, db.prepare(text.replace(/\$\d+/g, '?'))]));
  // What better-sqlite3 binds: no booleans, and the decimal in hundredths.
  const toRow = ([title, body, published, views, price, tag]) => [
    title,
    body,
    published ? 1 : 0,
    views,
    Math.round(Number(price) * 100),
    tag,
  ];
  query = async (text, params) =>
    prepared
      .get(text)
      .all(text === SQL.insert ? toRow(params) : params)
      .map(toItem);
  close = () => db.close();
} else if (process.env.BASELINE_DATABASE === 'mysql') {
  const { default: mysql } = await import('mysql2/promise');
  const pool = mysql.createPool({ uri: url, connectionLimit: 10, timezone: 'Z' });
  for (const statement of statements) await pool.query(statement);
  // MySQL's own spelling: `?` placeholders and unquoted aliases; no RETURNING, so the
  // insert makes the id and reads the row back, as the service does.
  const columns = COLUMNS.replaceAll('"', '');
  const MYSQL = {
    [SQL.byId]: `select ${columns} from items where id = ?`,
    [SQL.firstPage]: `select ${columns} from items order by created_at desc, id desc limit ?`,
    [SQL.taggedPage]: `select ${columns} from items where tag = ? order by created_at desc, id desc limit ?`,
  };
  const insert = 'insert into items (id, title, body, published, views, price, tag) values (?, ?, ?, ?, ?, ?, ?)';
  const toItem = (row) => ({ ...row, published: row.published === 1 });
  const select = async (text, params) => (await pool.execute(MYSQL[text], params))[0].map(toItem);
  query = async (text, params) => {
    if (text !== SQL.insert) return select(text, params);
    const id = randomUUID();
    await pool.execute(insert, [id, ...params]);
    return select(SQL.byId, [id]);
  };
  close = () => pool.end();
} else if (url.startsWith('postgres')) {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  for (const statement of statements) await sql.unsafe(statement);
  query = async (text, params) => sql.unsafe(text, params, { prepare: true });
  close = () => sql.end({ timeout: 5 });
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  for (const statement of statements) await db.exec(statement);
  query = async (text, params) => (await db.query(text, params)).rows;
  close = () => db.close();
}

const item = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    body: { type: ['string', 'null'] },
    published: { type: 'boolean' },
    views: { type: 'integer' },
    price: { type: 'string' },
    tag: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'title', 'body', 'published', 'views', 'price', 'tag', 'createdAt', 'updatedAt'],
};

// A request id a client or proxy sent, when it is acceptable, or a new UUID.
const genReqId = (request) => {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
};
const app = Fastify(sameFeature ? { logger: { level: process.env.LOG_LEVEL ?? 'info' }, genReqId } : { logger: false });
let etag;
if (sameFeature) {
  const headers = helmet();
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    headers(request.raw, reply.raw, done);
  });
  // As the service's LOAD_SHED_EVENT_LOOP_DELAY; the bench raises both under callgrind, which runs code 50 times slower.
  await app.register(underPressure, { maxEventLoopDelay: Number(process.env.MAX_EVENT_LOOP_DELAY_MS ?? 1000) });
  await app.register(cors, { origin: false });
  await app.register(rateLimit, { max: Number(process.env.RATE_LIMIT_MAX ?? 300), timeWindow: '1 minute' });
  await app.register(compress, { encodings: ['br', 'gzip', 'deflate'], globalDecompression: false });
  etag = async (request, reply, payload) => {
    if (reply.statusCode !== 200) return payload;
    const tag = `W/"${hash('sha1', payload, 'base64url')}"`;
    reply.header('etag', tag);
    if (request.headers['if-none-match'] !== tag) return payload;
    reply.code(304);
    return null;
  };
}

app.get(
  '/items/:id',
  {
    schema: {
      params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] },
      response: { 200: item },
    },
    onSend: etag,
  },
  async (request, reply) => {
    const [row] = await query(SQL.byId, [request.params.id]);
    if (row === undefined) return reply.status(404).send({ status: 404 });
    return row;
  },
);

app.get(
  '/items',
  {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          tag: { type: 'string', minLength: 1, maxLength: 255 },
        },
        additionalProperties: false,
      },
      response: {
        200: {
          type: 'object',
          properties: { data: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
        },
      },
    },
  },
  async (request) => {
    const { limit, tag } = request.query;
    const rows =
      tag === undefined ? await query(SQL.firstPage, [limit + 1]) : await query(SQL.taggedPage, [tag, limit + 1]);
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify(['-createdAt', last.createdAt, last.id])).toString('base64url')
        : null;
    return { data, nextCursor };
  },
);

app.post(
  '/items',
  {
    schema: {
      body: {
        type: 'object',
        properties: {
          title: { type: 'string', minLength: 1, maxLength: 255 },
          body: { type: ['string', 'null'], default: null },
          published: { type: 'boolean', default: false },
          views: { type: 'integer', default: 0 },
          price: { type: 'string', pattern: '^-?\\d{1,10}(\\.\\d{1,2})?$', default: '0' },
          tag: { type: 'string', minLength: 1, maxLength: 255 },
        },
        required: ['title', 'tag'],
        additionalProperties: false,
      },
      response: { 201: item },
    },
  },
  async (request, reply) => {
    const { title, body, published, views, price, tag } = request.body;
    const [row] = await query(SQL.insert, [title, body, published, views, price, tag]);
    return reply.status(201).header('location', `/items/${row.id}`).send(row);
  },
);

app.get('/readyz', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));

await app.listen({ host: '127.0.0.1', port });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await app.close();
    await close();
    process.exit(0);
  });
}
