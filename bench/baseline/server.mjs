// The hand-written baselines: what a careful engineer would write by hand for the same
// resource, with no generator: Fastify, JSON Schema routes (ajv validation and
// fast-json-stringify serialization) and the raw driver with prepared statements.
// BASELINE=same-feature (the default) meets the same requirements as the generated service
// where they cost time per request (a request logger at the same level, security headers,
// CORS, a rate limit, a request id in the answer, an ETag on a read, load shedding,
// compression), so the ratio against it measures the generated code, not the features;
// BASELINE=minimal has none of them, for what the features cost. It runs from inside a
// generated service's folder, so it uses the same library versions.
import { hash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import Fastify from 'fastify';
import helmet from 'helmet';
import postgres from 'postgres';

const sameFeature = (process.env.BASELINE ?? 'same-feature') === 'same-feature';

const url = process.env.DATABASE_URL ?? 'memory://';
const port = Number(process.env.PORT ?? 3100);

// The same table: the generated service's own migration files.
const statements = readdirSync('drizzle')
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .flatMap((file) => readFileSync(join('drizzle', file), 'utf8').split('--> statement-breakpoint'));

let query;
let close;
if (url.startsWith('postgres')) {
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  for (const statement of statements) await sql.unsafe(statement);
  query = async (text, params) => sql.unsafe(text, params, { prepare: true });
  close = () => sql.end({ timeout: 5 });
} else {
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

const COLUMNS = 'id, title, body, published, views, price, tag, created_at as "createdAt", updated_at as "updatedAt"';

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
  await app.register(underPressure, { maxEventLoopDelay: 1000 });
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
    const [row] = await query(`select ${COLUMNS} from items where id = $1`, [request.params.id]);
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
        properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
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
    const { limit } = request.query;
    const rows = await query(`select ${COLUMNS} from items order by created_at desc, id desc limit $1`, [limit + 1]);
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
    const [row] = await query(
      `insert into items (title, body, published, views, price, tag) values ($1, $2, $3, $4, $5, $6) returning ${COLUMNS}`,
      [title, body, published, views, price, tag],
    );
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
