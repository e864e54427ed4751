import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { lintOpenApi } from '../support/openapi-lint.js';
import { run, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm, withServer } from '../support/service.js';

// The three tasks agents were given (authors and books; a featured flag with a configurable
// limit; members and loans, one open loan per book), through the JSON CLI alone; then the
// one rule no generator can say, written where the agent file says; then a field more on
// every resource, merged into the edited files.
const TASKS = [
  ['route', 'authors', 'name:string:max=80 email:email:unique'],
  [
    'route',
    'books',
    'title:string:max=200 isbn:string:unique:pattern=^97[89]-\\d{10}$ price:decimal:min=0 year:integer:min=1450:max=2100 author:references(authors)',
  ],
  ['field', 'books', 'featured:boolean:readonly=false'],
  [
    'env',
    '--name',
    'FEATURED_LIMIT',
    '--type',
    'integer(1,100)',
    '--default',
    '3',
    '--description',
    'How many books may be featured at once',
  ],
  ['action', 'books', 'feature', '--sets', 'featured=true', '--when', 'featured = false'],
  ['action', 'books', 'unfeature', '--sets', 'featured=false', '--when', 'featured = true'],
  ['route', 'members', 'name:string email:email:unique passwordHash:text?:private'],
  ['route', 'loans', 'book:references(books) member:references(members) due:date returnedAt:datetime?:readonly'],
  ['action', 'loans', 'return', '--sets', 'returnedAt=now', '--when', 'returnedAt is null'],
  ['index', 'loans', 'book where returnedAt is null', '--unique'],
];
const MORE_FIELDS = [
  ['authors', 'bio:text?'],
  ['books', 'pages:integer?:min=1'],
  ['members', 'phone:string?:max=20'],
  ['loans', 'note:text?'],
];

// The rule, as the agent file's example writes it: a function after the generated code,
// one line at the start of the method it guards, and a test beside the generated ones.
const RULE = `
/** At most FEATURED_LIMIT books are featured at once. */
async function assertRoomToFeature(db: Deps['db'], limit: number): Promise<void> {
  // Held until the transaction ends: two features at once count one after the other.
  await db.execute(sql\`select pg_advisory_xact_lock(hashtext('books.featured'))\`);
  const [row] = await db.select({ featured: count() }).from(books).where(eq(books.featured, true));
  if ((row?.featured ?? 0) >= limit) throw new ConflictError(\`At most \${limit} books may be featured.\`, 'featured');
}
`;
const RULE_TEST = `
  describe('featured books', () => {
    it('409 for one more than FEATURED_LIMIT', async () => {
      const featured = [];
      for (let i = 0; i < 4; i += 1) featured.push(await createBook(app));
      for (const book of featured.slice(0, 3)) {
        expect((await send(app, { method: 'POST', url: \`/books/\${book.id}/feature\` })).statusCode).toBe(200);
      }
      const response = await send(app, { method: 'POST', url: \`/books/\${featured[3]?.id}/feature\` });
      expectProblem(response, 409);
      expect(response.json().detail).toBe('At most 3 books may be featured.');
    });
  });
`;

const base = inject('baseService');
let service: string;

const cli = async (args: string[]) => {
  const result = await run('npx', ['backend-dev-kit', ...args, '--json'], { cwd: service, env: userEnv() });
  return {
    code: result.code,
    report: JSON.parse(result.stdout) as { ok: boolean; conflicts: string[]; errors: string[] },
  };
};
const git = (...args: string[]) => run('git', args, { cwd: service, env: userEnv() });

/** Replaces one exact piece of a service file, failing when it is not there exactly once. */
function edit(path: string, from: string, to: string): void {
  const file = join(service, path);
  const text = readFileSync(file, 'utf8');
  expect(text.split(from).length - 1, `${path}: ${from}`).toBe(1);
  writeFileSync(file, text.replace(from, to));
}

let handWritten = 0;

beforeAll(async () => {
  service = await copyService(base.dir, 'beyond-crud-under-test');
  for (const args of TASKS) {
    const { code, report } = await cli(args);
    expect(report.errors, args.join(' ')).toEqual([]);
    expect(code).toBe(0);
  }
  expectSuccess(await git('add', '-A'), 'git add');
  expectSuccess(await git('commit', '-qm', 'generated'), 'git commit');

  edit(
    'src/services/books.ts',
    "import { and, eq, sql } from 'drizzle-orm';",
    "import { and, count, eq, sql } from 'drizzle-orm';",
  );
  edit(
    'src/services/books.ts',
    'export function createBooksService({ db }: Deps) {',
    'export function createBooksService({ db, config }: Deps) {',
  );
  const books = readFileSync(join(service, 'src/services/books.ts'), 'utf8');
  const feature = /async feature\(id: string\)[\s\S]*?throw notFound\(id\);\n/.exec(books)?.[0] ?? '';
  edit('src/services/books.ts', feature, `${feature}        await assertRoomToFeature(tx, config.FEATURED_LIMIT);\n`);
  writeFileSync(
    join(service, 'src/services/books.ts'),
    `${readFileSync(join(service, 'src/services/books.ts'), 'utf8')}${RULE}`,
  );
  const test = readFileSync(join(service, 'test/books.test.ts'), 'utf8');
  writeFileSync(join(service, 'test/books.test.ts'), `${test.replace(/\n\}\);\n$/, `\n${RULE_TEST}});\n`)}`);
  const diff = await git('diff', '--numstat');
  handWritten = diff.stdout
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + Number(line.split('\t')[0]) + Number(line.split('\t')[1]), 0);
  console.log(`beyond CRUD: ${TASKS.length} generator runs, ${handWritten} lines written or changed by hand`);
  expectSuccess(await git('commit', '-qam', 'the featured limit'), 'git commit');

  for (const [name = '', fields = ''] of MORE_FIELDS) {
    const { code, report } = await cli(['field', name, fields]);
    expect(report, `field ${name} ${fields}`).toMatchObject({ ok: true, conflicts: [] });
    expect(code).toBe(0);
  }
});

describe('past CRUD with generators: rules, private and readonly fields, actions, a partial unique index', () => {
  it('leaves by hand only the rule itself and its test', () => {
    // The import line, the deps line, the call, the rule (7 lines and a blank) and its test (13 lines).
    expect(handWritten).toBeLessThanOrEqual(27);
    const books = readFileSync(join(service, 'src/services/books.ts'), 'utf8');
    expect(books).toContain('await assertRoomToFeature(tx, config.FEATURED_LIMIT);');
    expect(books).toContain("pages: nullablePlaceholder('pages', books.pages)");
  });

  itPassesItsOwnChecks(() => service);

  it('serves it: a book on one open loan at a time, a return once, no private field in any answer', async () => {
    await withServer(service, {}, async (url) => {
      const call = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${url}${path}`, {
          method,
          ...(body === undefined
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const author = await call('POST', '/authors', { name: 'Ursula', email: 'ursula@example.com' });
      expect(author.status).toBe(201);
      const book = {
        title: 'The Dispossessed',
        isbn: '978-0060512750',
        price: '9.99',
        year: 1974,
        authorId: author.body.id,
      };
      expect((await call('POST', '/books', { ...book, price: '-1.00' })).status).toBe(400);
      expect((await call('POST', '/books', { ...book, isbn: '0060512751' })).status).toBe(400);
      expect((await call('POST', '/books', { ...book, featured: true })).status).toBe(400);
      const created = await call('POST', '/books', book);
      expect(created).toMatchObject({ status: 201, body: { featured: false, price: '9.99' } });
      const member = await call('POST', '/members', { name: 'Shevek', email: 'shevek@example.com' });
      expect(member.status).toBe(201);
      expect(member.body).not.toHaveProperty('passwordHash');
      expect((await call('POST', '/members', { name: 'X', email: 'x@example.com', passwordHash: 'x' })).status).toBe(
        400,
      );

      const loan = { bookId: created.body.id, memberId: member.body.id, due: '2030-01-01' };
      const first = await call('POST', '/loans', loan);
      expect(first.status).toBe(201);
      expect((await call('POST', '/loans', loan)).status).toBe(409);
      const returned = await call('POST', `/loans/${first.body.id}/return`);
      expect(returned.status).toBe(200);
      expect(returned.body.returnedAt).toEqual(expect.any(String));
      expect((await call('POST', `/loans/${first.body.id}/return`)).status).toBe(409);
      expect((await call('POST', '/loans', loan)).status).toBe(201);

      const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { operationId: string }>>;
      };
      expect(document.paths['/loans/{id}/return']?.post?.operationId).toBe('returnLoan');
      expect(JSON.stringify(document)).not.toMatch(/passwordHash/);
      expect(await lintOpenApi(document, service)).toEqual([]);
    });
  });

  it('destroy takes back an action, an index, a field and a route, with their migrations; and refuses a route others reference, or a variable code uses', async () => {
    const sqlFiles = () => readdirSync(join(service, 'drizzle')).filter((name) => name.endsWith('.sql'));
    const migrations = () => sqlFiles().length;
    // A view written by hand on the table the route's destroy will drop.
    const view = await cli(['migration', 'open_loans_view', '--custom']);
    expect(view.report.errors).toEqual([]);
    const viewFile = sqlFiles().find((name) => name.endsWith('_open_loans_view.sql')) ?? 'missing';
    writeFileSync(join(service, 'drizzle', viewFile), 'CREATE VIEW "open_loans" AS SELECT "id" FROM "loans";\n');
    const before = migrations();
    for (const args of [
      ['destroy', 'action', 'books', 'unfeature'],
      ['destroy', 'index', 'loans', 'book where returnedAt is null'],
      ['destroy', 'field', 'authors', 'bio'],
      ['destroy', 'route', 'loans'],
    ]) {
      const { code, report } = await cli(args);
      expect(report.errors, args.join(' ')).toEqual([]);
      expect(code).toBe(0);
    }
    expect(migrations()).toBe(before + 3);
    // Named in snake case, as every migration is.
    expect(
      sqlFiles()
        .sort()
        .slice(-3)
        .map((name) => name.replace(/^\d+_/, '')),
    ).toEqual(['drop_index_loans_book.sql', 'drop_bio_from_authors.sql', 'drop_loans.sql']);
    const dropLoans = join(
      service,
      'drizzle',
      sqlFiles().find((name) => name.endsWith('_drop_loans.sql')) ?? 'missing',
    );
    // Without CASCADE: the view stops the migration, named, instead of going with the table.
    expect(readFileSync(dropLoans, 'utf8')).toMatch(/^DROP TABLE "loans";$/m);
    const database = { DATABASE_URL: join(service, '.data', 'destroyed') };
    const stopped = await npm(['run', 'db:migrate'], service, database);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stdout + stopped.stderr).toContain(
      'A migration failed at DROP TABLE "loans": cannot drop table loans because other objects depend on it (view open_loans depends on table loans). No pending migration was applied',
    );
    writeFileSync(dropLoans, `DROP VIEW "open_loans";--> statement-breakpoint\n${readFileSync(dropLoans, 'utf8')}`);
    expectSuccess(await npm(['run', 'db:migrate'], service, database), 'npm run db:migrate, the view dropped first');
    expect(existsSync(join(service, 'src/routes/loans.ts'))).toBe(false);
    expect(readFileSync(join(service, 'src/routes/index.ts'), 'utf8')).not.toContain('loansRoutes');
    expect(readFileSync(join(service, 'src/services/books.ts'), 'utf8')).not.toContain('unfeature');
    expect(readFileSync(join(service, 'src/services/books.ts'), 'utf8')).toContain('assertRoomToFeature');

    const refused = await cli(['destroy', 'route', 'authors']);
    expect(refused.code).toBe(1);
    expect(refused.report.errors).toEqual(['books references authors; destroy books (or its reference field) first']);
    const used = await cli(['destroy', 'env', 'FEATURED_LIMIT']);
    expect(used.code).toBe(1);
    expect(used.report.errors[0]).toContain('FEATURED_LIMIT is used in src/services/books.ts');
    expectSuccess(await npm(['run', 'typecheck'], service), 'npm run typecheck');
    // The test files the removals changed.
    expectSuccess(await npm(['test', '--', 'test/books.test.ts', 'test/authors.test.ts'], service), 'npm test');
  });
});
