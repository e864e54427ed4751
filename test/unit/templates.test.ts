import { describe, expect, it } from 'vitest';
import { agentContext } from '../../generators/agent/files.js';
import { generators } from '../../generators/index.js';
import {
  compileTemplates,
  instantiateTemplates,
  loadTemplates,
  type PrecompiledTemplates,
  parseTemplate,
  precompileTemplates,
  readTemplateSources,
  renderTemplates,
} from '../../src/engine/templates.js';
import { quote } from '../../src/naming/literals.js';
import { DATABASES, type Database, databaseContext } from '../../src/project/manifest.js';

describe('parseTemplate', () => {
  it('reads the target, the action and the marker from front matter', () => {
    const template = parseTemplate(
      'x.ts.hbs',
      '---\nto: src/routes/{{plural}}.ts\naction: inject\nafter: "// marker"\n---\nawait app.register({{plural}});\n',
    );
    expect(template.action).toBe('inject');
    expect(template.after).toBe('// marker');
    expect(template.target({ plural: 'posts' })).toBe('src/routes/posts.ts');
    expect(template.render({ plural: 'posts' })).toBe('await app.register(posts);\n');
  });

  it('renders code without HTML escaping', () => {
    const template = parseTemplate('x.hbs', '---\nto: x.ts\n---\nconst a: {{type}} = {};\n');
    expect(template.render({ type: 'Record<string, "a" & \'b\'>' })).toBe(
      'const a: Record<string, "a" & \'b\'> = {};\n',
    );
  });

  it('parses the same text twice into independent templates (no gray-matter cache)', () => {
    const text = '---\nto: a.ts\n---\nA\n';
    expect(parseTemplate('a.hbs', text).target({})).toBe('a.ts');
    expect(parseTemplate('a.hbs', text).target({})).toBe('a.ts');
  });

  it.each([
    ['---\naction: create\n---\nx', 'front matter needs "to: <target path>"'],
    [
      '---\nto: a.ts\naction: prepend\n---\nx',
      'action must be one of create, skip-if-exists, replace, inject, import, append',
    ],
    ['---\nto: a.ts\naction: inject\n---\nx', 'an inject template needs "after: <marker>" or "before: <marker>"'],
    ['---\nto: a.ts\ntarget: b.ts\n---\nx', 'unknown front-matter key(s) target'],
  ])('refuses bad front matter: %s', (text, message) => {
    expect(() => parseTemplate('bad.hbs', text)).toThrow(`template bad.hbs: ${message}`);
  });

  it('a variable missing from the context is an error, not an empty string', () => {
    const template = parseTemplate('x.hbs', '---\nto: x.ts\n---\n{{missing}}\n');
    expect(() => template.render({})).toThrow(/missing/);
  });
});

describe('quote', () => {
  it('chooses the quotes Biome would keep', () => {
    expect(quote('plain')).toBe("'plain'");
    expect(quote("it's")).toBe('"it\'s"');
    expect(quote(`both ' and "`)).toBe(`'both \\' and "'`);
    expect(quote('back\\slash')).toBe("'back\\\\slash'");
  });
});

const serviceAnswers = (database: Database) => ({
  name: 'orders',
  description: 'Orders.',
  packDependency: 'file:/x',
  database,
  db: databaseContext(database),
});

describe('the service templates', () => {
  it.each(DATABASES)('every template has a target and renders with the service answers (%s)', (database) => {
    const placed = renderTemplates('service', serviceAnswers(database));
    const db = databaseContext(database) as Record<string, unknown>;
    const used = loadTemplates('service').filter(
      (template) => template.when === undefined || db[template.when.replace(/^db\./, '')] === true,
    );
    expect(placed.length).toBe(used.length);
    const paths = placed.map((file) => file.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', '.gitignore', '.env.example', 'src/app.ts']));
    expect(new Set(paths).size).toBe(paths.length);
    const manifest = JSON.parse(placed.find((file) => file.path === 'package.json')?.content ?? '');
    expect(manifest).toMatchObject({
      name: 'orders',
      description: 'Orders.',
      devDependencies: { 'backend-dev-kit': 'file:/x' },
    });
  });
});

describe('precompiled templates', () => {
  const precompiled = (generator: string): PrecompiledTemplates => {
    const module = { exports: {} as PrecompiledTemplates };
    new Function('module', precompileTemplates(generator))(module);
    return module.exports;
  };
  const rendered = (templates: ReturnType<typeof compileTemplates>, context: object) =>
    templates.map((template) => [template.source, template.target(context), template.render(context)]);

  it.each([
    ['service', serviceAnswers('postgres')],
    ['service', serviceAnswers('sqlite')],
    ['service', serviceAnswers('mysql')],
    // The agent file's templates include a partial.
    ['agent', agentContext(generators)],
  ])('render %s exactly as the templates compiled at run time do', (generator, context) => {
    const sources = readTemplateSources(generator);
    const built = precompiled(generator);
    expect(built.digest).toBe(sources.digest);
    expect(rendered(instantiateTemplates(built), context)).toEqual(rendered(compileTemplates(sources), context));
  });

  it('keep strict mode: a variable missing from the context is an error', () => {
    const [template] = instantiateTemplates(precompiled('service'));
    expect(() => template?.render({})).toThrow(/not defined in/);
  });
});
