import { describe, expect, it } from 'vitest';
import {
  mysqlKeyLengthProblem,
  mysqlKeyProblems,
  mysqlNameProblems,
  positionalEnumProblems,
  referenceProblems,
  regenerationProblems,
} from '../../generators/route/checks.js';
import { parseFields } from '../../generators/route/fields.js';
import type { Database, Manifest } from '../../src/project/manifest.js';
import { tempTree } from '../support/tree.js';

const manifestOf = (database: Database): Manifest => ({
  database,
  resources: { posts: 'title:string status:enum(draft,live)=draft' },
});

describe.each([
  ['SQLite', manifestOf('sqlite')],
  ['MySQL', manifestOf('mysql')],
])('an enum of a resource generated again on %s', (name, manifest) => {
  it('may gain values at the end', () => {
    expect(positionalEnumProblems(manifest, 'posts', parseFields('title:string status:enum(draft,live,gone)'))).toEqual(
      [],
    );
  });

  it('is refused, saying why, when a value moves or goes: the stored positions would read as others', () => {
    for (const spec of ['status:enum(live,draft)', 'status:enum(draft,gone)', 'status:enum(live)']) {
      const [problem] = positionalEnumProblems(manifest, 'posts', parseFields(spec));
      expect(problem).toContain(`on ${name} an enum stores each value`);
      expect(problem).toContain('(draft,live -> draft,live,new)');
    }
  });
});

describe('an enum of a resource generated again on PostgreSQL', () => {
  it('is left to PostgreSQL, whose enums are types of their own', () => {
    expect(positionalEnumProblems(manifestOf('postgres'), 'posts', parseFields('status:enum(live,draft)'))).toEqual([]);
  });
});

describe('what MySQL cannot index', () => {
  it('refuses a unique or indexed text or url field, naming each', () => {
    const fields = parseFields('bio:text:unique site:url:index note:text title:string:index');
    expect(mysqlKeyProblems('mysql', fields)).toEqual([
      '"bio:text:unique": MySQL cannot index a text field (it indexes text only up to a length); make it a string (up to 255 characters), or leave it unindexed',
      '"site:url:index": MySQL cannot index a url field (it indexes text only up to a length); make it a string (up to 255 characters), or leave it unindexed',
    ]);
  });

  it('leaves them to PostgreSQL and SQLite, which index any text', () => {
    const fields = parseFields('bio:text:unique site:url:index');
    expect(mysqlKeyProblems('postgres', fields)).toEqual([]);
    expect(mysqlKeyProblems('sqlite', fields)).toEqual([]);
  });
});

describe('names MySQL would refuse', () => {
  it('refuses a field whose foreign key name passes 64 characters, naming it; PostgreSQL cuts such names short', () => {
    const fields = parseFields('supplier:references(preferred_supplier_organisations) title:string');
    expect(mysqlNameProblems('mysql', 'purchase_order_lines', fields, false)).toEqual([
      '"supplier:references(preferred_supplier_organisations)": MySQL names are at most 64 characters, and purchase_order_lines_supplier_id_preferred_supplier_organisations_id_fk (71) would be longer; name the field or the resource shorter',
    ]);
    expect(mysqlNameProblems('postgres', 'purchase_order_lines', fields, false)).toEqual([]);
    expect(mysqlNameProblems('mysql', 'lines', parseFields('supplier:references(suppliers)'), false)).toEqual([]);
  });
});

describe('an index MySQL cannot hold', () => {
  const fields = parseFields('name:string email:email title:string code:string:max=40 views:integer');
  it('refuses more than 3,072 bytes of key, counting 4 a character', () => {
    expect(mysqlKeyLengthProblem('mysql', 'name,email,title', ['name', 'email', 'title'], fields)).toBe(
      '"name,email,title": MySQL keys hold at most 3072 bytes, and these fields can take 3320 (a string takes 4 bytes a character, an email 1,280); index fewer fields, or give a string a lower max=',
    );
    expect(
      mysqlKeyLengthProblem('mysql', 'email,code,createdAt', ['email', 'code', 'createdAt'], fields),
    ).toBeUndefined();
    expect(mysqlKeyLengthProblem('postgres', 'name,email,title', ['name', 'email', 'title'], fields)).toBeUndefined();
  });
});

describe('a resource generated again over its table (--force)', () => {
  const manifest = manifestOf('postgres');

  it('may keep its fields, change their rules, or add optional or defaulted ones', () => {
    const spec = 'title:string:pattern=^[A-Z] status:enum(draft,live)=draft body:text? views:integer=0';
    expect(regenerationProblems(manifest, 'posts', parseFields(spec))).toEqual([]);
    expect(regenerationProblems(manifest, 'tags', parseFields('name:string'))).toEqual([]);
  });

  it('is refused where a field left out would drop its column, naming it and the command that removes it', () => {
    expect(regenerationProblems(manifest, 'posts', parseFields('title:string'))).toEqual([
      'generating posts again without status would drop its column and the data in it: list every field it has (title:string status:enum(draft,live)=draft), or take it out with npx plop destroy field posts "status"',
    ]);
  });

  it('is refused where stored rows may break a field made required or given a tighter rule', () => {
    const tags = { ...manifest, resources: { tags: 'label:string:max=80 color:string? weight:integer:min=0=0' } };
    const problems = regenerationProblems(
      tags,
      'tags',
      parseFields('label:string:max=40 color:string weight:integer:min=1:max=10=1'),
    );
    expect(problems).toEqual([
      '"label:string:max=40": a max below the one before (80): stored rows may break it, and the migration would fail on them',
      '"color:string": color was optional, so rows may have none, and making it required would fail on them; keep it optional, or fill it in first with a custom migration (npx plop migration <name> -- --custom) and then make it required',
      '"weight:integer:min=1:max=10=1": a min above the one before (0): stored rows may break it, and the migration would fail on them',
      '"weight:integer:min=1:max=10=1": a max below the one before (none): stored rows may break it, and the migration would fail on them',
    ]);
    const loosened = 'label:string:max=200 color:string?:min=1 weight:integer=0';
    expect(regenerationProblems(tags, 'tags', parseFields(loosened))).toEqual([]);
  });

  it('is refused where a new field has no value for the rows already stored', () => {
    const [problem] = regenerationProblems(
      manifest,
      'posts',
      parseFields('title:string status:enum(a,b)=a views:integer'),
    );
    expect(problem).toContain('"views:integer": the table may already have rows, which would have no views');
  });
});

describe('a reference to a resource the service does not have', () => {
  it('says to generate it, and for users, how rows get an owner instead', () => {
    const root = tempTree({ 'backend-dev-kit.json': '{"resources":{}}\n' });
    const [owners] = referenceProblems(root, 'gadgets', parseFields('owner:references(owners)'));
    expect(owners).toBe(
      '"owner:references(owners)": there is no resource "owners" in this service (it has none yet); generate it first (npx plop route owners "...")',
    );
    const library = tempTree({
      'backend-dev-kit.json': '{"resources":{"members":"name:string","books":"title:string"}}\n',
    });
    const [authors] = referenceProblems(library, 'loans', parseFields('author:references(authors)'));
    expect(authors).toContain('there is no resource "authors" in this service (it has books, members)');
    const [users] = referenceProblems(root, 'gadgets', parseFields('owner:references(users)'));
    expect(users).toContain('add accounts with npx plop auth and generate this resource with --owned');
  });
});
