import { describe, expect, it } from 'vitest';
import { TYPE_RULES } from '../../generators/route/field-types.js';
import { FieldSpecError, parseFields } from '../../generators/route/fields.js';
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
      '"title:string:uniq": unknown modifier "uniq"; allowed: ? after the type (optional), unique, index, cascade',
    ],
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
  ])('refuses %j, naming the token and what is allowed', (spec, message) => {
    expect(problemsOf(spec).join('\n')).toContain(message);
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
    expect(model.enums).toEqual([{ name: 'blogPostStatus', sqlName: 'blog_post_status', values: "'draft', 'live'" }]);
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
});
