import { describe, expect, it } from 'vitest';
import { TYPE_RULES } from '../../generators/route/field-types.js';
import { FieldSpecError, parseFields } from '../../generators/route/fields.js';
import { parseIndex } from '../../generators/route/indexes.js';
import { buildResourceModel } from '../../generators/route/resource-model.js';
import { resourceNames } from '../../src/naming/spellings.js';

const problemsOf = (spec: string): string[] => {
  try {
    parseFields(spec);
  } catch (error) {
    if (error instanceof FieldSpecError) return error.problems;
    throw error;
  }
  throw new Error(`"${spec}" was accepted`);
};

describe('parseFields', () => {
  it('reads names, types, optionality, modifiers and defaults', () => {
    const [title, body, published, status, author] = parseFields(
      'title:string:unique body:text? published:boolean=false status:enum(draft,published)=draft author:references(users):cascade',
    );
    expect(title).toMatchObject({ name: 'title', column: 'title', type: 'string', unique: true, optional: false });
    expect(body).toMatchObject({ name: 'body', type: 'text', optional: true });
    expect(published).toMatchObject({ type: 'boolean', defaultValue: 'false' });
    expect(status).toMatchObject({ type: 'enum', enumValues: ['draft', 'published'], defaultValue: 'draft' });
    expect(author).toMatchObject({ name: 'authorId', column: 'author_id', type: 'references' });
    expect(author?.references?.resource.plural.camel).toBe('users');
    expect(author?.references?.onDelete).toBe('cascade');
  });

  it('accepts every type and keeps a default that holds colons', () => {
    const fields = parseFields(
      'a:string b:text c:email d:url e:integer f:bigint g:number h:decimal i:boolean j:date k:datetime l:uuid m:json n:enum(x,y) o:references(users) p:datetime=2024-01-01T10:00:00Z',
    );
    expect(fields.map((field) => field.type)).toEqual([
      'string',
      'text',
      'email',
      'url',
      'integer',
      'bigint',
      'number',
      'decimal',
      'boolean',
      'date',
      'datetime',
      'uuid',
      'json',
      'enum',
      'references',
      'datetime',
    ]);
    expect(fields.at(-1)?.defaultValue).toBe('2024-01-01T10:00:00Z');
  });

  it('turns snake_case names into camelCase properties and snake_case columns', () => {
    expect(parseFields('published_at:datetime')[0]).toMatchObject({ name: 'publishedAt', column: 'published_at' });
    expect(parseFields('ownerId:references(users)')[0]).toMatchObject({ name: 'ownerId', column: 'owner_id' });
  });

  it.each([
    ['title:strng', '"title:strng": unknown type "strng"; allowed types: string, text, email, url, integer'],
    [
      'title:string:uniq',
      '"title:string:uniq": unknown modifier "uniq"; allowed: ? after the type (optional), unique, index, cascade, private, readonly, min=, max=, pattern=',
    ],
    ['summary:text:unique?', '"summary:text:unique?": ? goes right after the type: text?:unique'],
    ['rating:integer:min=1:max=5?', '"rating:integer:min=1:max=5?": ? goes right after the type: integer?:max=5'],
    ['title:string title:text', 'field "title" is given twice'],
    ['id:uuid', '"id" is added to every resource by the generator'],
    ['createdAt:datetime', '"createdAt" is added to every resource by the generator'],
    ['2fast:string', '"2fast" is not a valid field name'],
    ['class:string', '"class" is a reserved word in JavaScript'],
    ['order:integer', '"order" is a reserved word in SQL'],
    ['limit:integer', '"limit" is a query parameter of list requests'],
    ['title', '"title": no type'],
    ['flag:boolean=maybe', 'default "maybe" must be true or false'],
    ['n:integer=1.5', 'default "1.5" must be a whole number'],
    ['s:enum(a,b)=c', 'default "c" must be one of a, b'],
    ['s:enum', 'enum needs its argument'],
    ['s:enum(A,b)', 'enum value "A" must be lower-case'],
    ['s:string(20)', 'type string takes no argument'],
    ['data:json:unique', 'json fields cannot be unique or indexed'],
    ['on:boolean:unique', 'a boolean field cannot be unique'],
    ['name:string:cascade', 'cascade applies only to references'],
    ['author:references(users)=x', 'a reference cannot have a default'],
    ['', 'no fields given'],
    ['on:boolean:min=1', 'a boolean field takes no min rule'],
    ['n:integer:pattern=^1$', 'pattern= applies to string and text fields only, not integer'],
    ['code:string:pattern=^[A-Z$', 'is not a valid JavaScript regular expression'],
    ['code:string:pattern=', 'pattern= needs a regular expression'],
    ['n:integer:min=', 'min= needs a number'],
    ['n:integer:min=1.5', 'min=1.5: must be a whole number'],
    ['n:integer:max=3000000000', 'max=3000000000: a integer holds values from -2147483648 to 2147483647'],
    ['name:string:max=300', 'a string is 1 to 255 characters long; use text for longer values'],
    ['n:integer:min=5:max=1', 'min=5 is more than max=1'],
    ['n:integer:min=0=-1', 'default "-1" breaks the field\'s own rules'],
    ['code:string:unique:pattern=^(a|b)$', 'a unique field needs at least 30 different values'],
    ['hash:text:private', "a private field is set only by the service's own code"],
    ['hash:text?:private:readonly', 'a field is private or readonly, not both'],
  ])('refuses %j, naming the token and what is allowed', (spec, message) => {
    expect(problemsOf(spec).join('\n')).toContain(message);
  });

  it('reads rules, visibility, a default and a pattern that holds colons and equals signs', () => {
    const [year, price, code, hash, seen] = parseFields(
      'year:integer:min=1450:max=2100=2000 price:decimal:min=0 code:string=A=B:pattern=^[A-Z]=[A-Z]:?$ hash:text?:private seen:boolean:readonly=false',
    );
    expect(year).toMatchObject({ rules: { min: '1450', max: '2100' }, defaultValue: '2000', visibility: 'public' });
    expect(price?.rules).toEqual({ min: '0' });
    expect(code).toMatchObject({ rules: { pattern: '^[A-Z]=[A-Z]:?$' }, defaultValue: 'A=B' });
    expect(hash).toMatchObject({ visibility: 'private', optional: true });
    expect(seen).toMatchObject({ visibility: 'readonly', defaultValue: 'false' });
  });

  it('reports every bad token of a spec at once', () => {
    expect(problemsOf('a:strng b:string c:integer:uniq')).toHaveLength(2);
  });
});

describe('buildResourceModel', () => {
  const model = buildResourceModel(
    resourceNames('blogPosts'),
    parseFields(
      'title:string:unique views:integer:index=0 score:number? status:enum(draft,live) author:references(users) data:json?',
    ),
  );

  it('names the table, path and files from the plural', () => {
    expect(model).toMatchObject({ table: 'blog_posts', path: '/blog-posts', file: 'blog-posts' });
    expect(model.singular.pascal).toBe('BlogPost');
  });

  it('derives drizzle columns, zod schemas and imports from the type table', () => {
    const [title, views, score, status] = model.fields;
    expect(title?.drizzle).toBe("varchar('title', { length: 255 }).notNull().unique()");
    expect(views?.drizzle).toBe("integer('views').notNull().default(0)");
    expect(views?.create).toBe('z.int32().default(0)');
    expect(score?.create).toBe('z.number().nullable().default(null)');
    expect(status?.entity).toBe('z.enum(blogPostStatus.enumValues)');
    expect(model.enums).toEqual([
      {
        name: 'blogPostStatus',
        declaration: "export const blogPostStatus = pgEnum('blog_post_status', ['draft', 'live']);",
      },
    ]);
    expect(model.drizzleImports).toBe(
      'doublePrecision, index, integer, jsonb, pgEnum, pgTable, timestamp, uuid, varchar',
    );
    expect(model.schemaValueImports).toEqual([
      { name: 'dateTimeString', file: 'date-time-string' },
      { name: 'integerParam', file: 'integer-param' },
      { name: 'jsonValue', file: 'json-value' },
      { name: 'lineString', file: 'line-string' },
      { name: 'numberParam', file: 'number-param' },
    ]);
  });

  it('writes a decimal default as the API returns it, with two places, so a create answers with it', () => {
    const [price] = buildResourceModel(resourceNames('items'), parseFields('price:decimal=12.5')).fields;
    expect(price?.create).toBe("decimalString.default('12.50')");
    expect(price?.defaultLiteral).toBe("'12.50'");
    expect(TYPE_RULES.decimal.parseDefault('-0', [])).toEqual({ drizzle: "'0.00'", zod: "'0.00'" });
  });

  it('inserts optional fields through the null-safe placeholder, required ones through a plain one', () => {
    const [title, , score] = model.fields;
    expect(title?.insertValue).toBe("sql.placeholder('title')");
    expect(score?.insertValue).toBe("nullablePlaceholder('score', blogPosts.score)");
    expect(model.optional.map((field) => field.name)).toEqual(['score', 'data']);
  });

  it('gives the minimal factory only the required fields, and makes it async only for a required reference', () => {
    expect(model.required.map((field) => field.name)).toEqual(['title', 'status', 'authorId']);
    expect(model.factories).toEqual({
      minimal: { async: true, usesSequence: true },
      complete: { async: true, usesSequence: true },
    });
  });

  it('indexes declared indexes and foreign keys, not unique columns twice', () => {
    expect(model.indexes.map((index) => index.name)).toEqual([
      'blog_posts_views_idx',
      'blog_posts_author_id_idx',
      'blog_posts_created_at_id_idx',
    ]);
  });

  it('sorts by required scalar fields only and filters by every field but json', () => {
    expect(model.sortKeys).toEqual(
      expect.arrayContaining(['title', '-title', 'views', 'status', 'createdAt', '-updatedAt']),
    );
    expect(model.sortKeys).not.toContain('score');
    expect(model.filterable.map((field) => field.name)).toEqual(['title', 'views', 'score', 'status', 'authorId']);
  });

  it('carries rules into the column, the CHECK constraint, zod and the values tests send', () => {
    const ruled = buildResourceModel(
      resourceNames('books'),
      parseFields(
        'title:string:max=80 year:integer:min=1450:max=2100 price:decimal:min=0 code:string:unique:pattern=^[A-Z]{3}$',
      ),
    );
    const [title, year, price, code] = ruled.fields;
    expect(title?.drizzle).toBe("varchar('title', { length: 80 }).notNull()");
    expect(title?.create).toBe('lineString.max(80)');
    expect(title?.edges).toEqual(["'caf\\u00e9 \\u{1F600}'", "'x'.repeat(80)"]);
    expect(title?.invalid).toContain("'x'.repeat(81)");
    expect(year?.create).toBe('z.int32().min(1450).max(2100)');
    expect(year?.sample).toBe('1450 + (n % 651)');
    expect(year?.invalid).toEqual(expect.arrayContaining(['1449', '2101']));
    expect(year?.edges).toEqual(['1450', '2100']);
    expect(price?.create).toBe(
      "decimalString.refine((value) => Number(value) >= 0, 'must be at least 0').meta({ description: 'A decimal at least 0', examples: ['0.00'] })",
    );
    expect(price?.invalid).toContain("'-0.01'");
    expect(code?.create).toBe('lineString.regex(/^[A-Z]{3}$/u)');
    expect(code?.examples?.values).toHaveLength(30);
    for (const value of code?.examples?.values ?? []) expect(value).toMatch(/^'[A-Z]{3}'$/);
    expect(code?.sample).toBe('codeExamples[n % codeExamples.length] ?? codeExamples[0]');
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: the body of a drizzle sql template, as written
    expect(ruled.checks).toEqual([
      { name: 'books_year_check', sql: '${table.year} between 1450 and 2100' },
      { name: 'books_price_check', sql: '${table.price} >= 0' },
    ]);
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: the body of a drizzle sql template, as written
    expect(ruled.drizzleImports).toContain('check');
  });

  it('keeps private fields out of responses, requests, filters and sorts, and readonly ones out of requests', () => {
    const hidden = buildResourceModel(
      resourceNames('members'),
      parseFields('name:string hash:string?:private returned:boolean:readonly=false'),
    );
    const names = (fields: { name: string }[]) => fields.map((field) => field.name);
    expect(names(hidden.fields)).toEqual(['name', 'hash', 'returned']);
    expect(names(hidden.entityFields)).toEqual(['name', 'returned']);
    expect(names(hidden.inputFields)).toEqual(['name']);
    expect(names(hidden.serverSet)).toEqual(['hash', 'returned']);
    expect(names(hidden.filterable)).toEqual(['name', 'returned']);
    expect(names(hidden.sortable)).toEqual(['name', 'returned']);
    expect(names(hidden.leftToService)).toEqual(['returned']);
  });
});

describe('buildResourceModel on SQLite', () => {
  const fields = parseFields(
    'code:string:max=40 price:decimal=12.5 status:enum(open,paid)=open placedAt:datetime=2024-12-31T23:59:00Z due:datetime=now ref:uuid=random paid:boolean=false customer:references(customers) parent:references(orders)? note:text:min=2',
  );
  const index = parseIndex({ on: 'status,code where status = paid and price = 12.5', unique: true }, fields, false);
  if ('problems' in index) throw new Error(index.problems.join('; '));
  const model = buildResourceModel(resourceNames('orders'), fields, undefined, [], [index], 'sqlite');
  const column = (name: string) => model.fields.find((field) => field.name === name)?.drizzle;

  it("builds its columns from sqlite-core and the service's src/db/columns.ts", () => {
    expect(model.drizzleCore).toBe('drizzle-orm/sqlite-core');
    expect(model.tableBuilder).toBe('sqliteTable');
    expect(model.drizzleImports).toBe('check, index, integer, sqliteTable, text, type AnySQLiteColumn, uniqueIndex');
    expect(model.columnHelpers).toBe('dateTime, decimal, enumOf, nowMs, uuid');
    expect(model.enums).toEqual([
      { name: 'orderStatus', declaration: "export const orderStatus = enumOf(['open', 'paid']);" },
    ]);
  });

  it('writes each default as the column stores it', () => {
    expect(column('code')).toBe("text('code', { length: 40 }).notNull()");
    expect(column('price')).toBe("decimal('price').notNull().default(decimal.stored('12.50'))");
    expect(column('status')).toBe("orderStatus('status').notNull().default(orderStatus.stored('open'))");
    expect(column('placedAt')).toBe(
      "dateTime('placed_at').notNull().default(dateTime.stored(new Date('2024-12-31T23:59:00Z')))",
    );
    expect(column('due')).toBe("dateTime('due').notNull().default(nowMs)");
    expect(column('ref')).toBe("uuid('ref').notNull().default(uuid.random)");
    expect(column('paid')).toBe("integer('paid', { mode: 'boolean' }).notNull().default(false)");
  });

  it('refuses deletes of referenced rows with NO ACTION, which SQLite reports as a foreign key failure', () => {
    expect(column('customerId')).toBe(
      "uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'no action' })",
    );
    expect(column('parentId')).toContain("references((): AnySQLiteColumn => orders.id, { onDelete: 'no action' })");
  });

  it('checks lengths with length(), a string no longer than its varchar would be, enums by position, and writes conditions as the columns store them', () => {
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: the body of a drizzle sql template, as written
    expect(model.checks).toEqual([
      { name: 'orders_note_check', sql: 'length(${table.note}) >= 2' },
      { name: 'orders_code_length', sql: 'length(${table.code}) <= 40' },
      { name: 'orders_status_check', sql: '${table.status} between 0 and 1' },
      { name: 'orders_parent_id_not_self', sql: '${table.parentId} <> ${table.id}' },
    ]);
    expect(model.indexes.at(-1)?.where).toBe(
      "${table.status} = ${orderStatus.stored('paid')} and ${table.price} = ${decimal.stored('12.50')}",
    );
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: the body of a drizzle sql template, as written
  });
});
