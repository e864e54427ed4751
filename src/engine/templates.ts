import { hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, relative } from 'node:path';
import type matter from 'gray-matter';
import type Handlebars from 'handlebars';
import { quote } from '../naming/literals.js';
import { packRoot, templatesDir } from './pack.js';

type HandlebarsEnv = typeof Handlebars;
type TemplateSpecification = ReturnType<typeof Handlebars.precompile>;

// A run renders templates the build precompiled: Handlebars' runtime alone does that, and
// loads in 9 ms against 23 ms with the compiler. The compiler, and gray-matter (19 ms, with
// js-yaml and esprima) for the front matter, load only for a template edited since the build.
const load = createRequire(import.meta.url);
const runtime = load('handlebars/runtime') as HandlebarsEnv;
const compiler = (): HandlebarsEnv => load('handlebars') as HandlebarsEnv;
/** gray-matter, loaded when it is first needed. */
export const frontMatter = (): typeof matter => load('gray-matter') as typeof matter;

/**
 * A Handlebars of its own for each generator, so a partial named the same in two
 * generators' folders is two partials, not one silently replacing the other.
 */
function newHandlebars(base: HandlebarsEnv): HandlebarsEnv {
  const handlebars = base.create();
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
  handlebars.registerHelper('quote', (value: unknown) => quote(String(value)));
  // `{{a "order"}}` -> `an order`, `{{a "user"}}` -> `a user`: by sound, as far as spelling tells.
  handlebars.registerHelper('a', (noun: unknown) => `${article(String(noun))} ${String(noun)}`);
  return handlebars;
}

function article(noun: string): 'a' | 'an' {
  if (/^(hour|honest|honou?r|heir)/i.test(noun)) return 'an';
  if (/^(u[bcfhjkqrstn][aeiou]|use|usu|uni|url|uuid|eu|one|once)/i.test(noun)) return 'a';
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/**
 * - `create`: a new file; an existing one is an error unless forced.
 * - `skip-if-exists`: a file the user owns once it exists.
 * - `replace`: a file the generators own (or have merged already); always written.
 * - `inject`: lines inserted after (or `before`) the line holding the marker, once.
 * - `import`: import / re-export lines added to a module's imports, once each.
 * - `append`: a block added at the end of the file, once.
 */
export type TemplateAction = 'create' | 'skip-if-exists' | 'replace' | 'inject' | 'import' | 'append';
const ACTIONS: readonly TemplateAction[] = ['create', 'skip-if-exists', 'replace', 'inject', 'import', 'append'];

/** One template file: where its output goes, how it is placed, and its body. */
export interface Template {
  /** Path of the template inside its generator's folder, for error messages. */
  source: string;
  action: TemplateAction;
  /** For `inject`: the text of the line the body is inserted after... */
  after?: string;
  /** ...or before, so that repeated runs keep their order. */
  before?: string;
  /** Name (or dotted path) of a boolean in the context; the template is used only when it is true. */
  when?: string;
  target: (context: object) => string;
  render: (context: object) => string;
}

export interface Placed {
  source: string;
  /** `delete` is not a template's: a generator that removes a file places it (see deletion()). */
  action: TemplateAction | 'delete';
  after?: string;
  before?: string;
  /** Target path, relative to the generator's output root, with `/` separators. */
  path: string;
  content: string;
}

const cache = new Map<string, Template[]>();
const PARTIAL = '.partial.hbs';

// Code is not HTML: escaping would turn `Record<string, unknown>` into `Record&lt;...`.
// Strict mode makes a misspelled variable an error instead of an empty string.
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** A template's front matter, checked: where its output goes and how it is placed. */
export interface TemplateHeader {
  to: string;
  action: TemplateAction;
  after?: string;
  before?: string;
  when?: string;
}

/** A generator's template files as read from its folder, paths relative to it and sorted. */
export interface TemplateSources {
  files: { path: string; text: string }[];
  /** SHA-1 of every path and text: what a precompiled copy must have been built from. */
  digest: string;
}

export function readTemplateSources(generator: string): TemplateSources {
  const root = templatesDir(generator);
  const files = listFiles(root)
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => ({ path: relative(root, file).split('\\').join('/'), text: readFileSync(file, 'utf8') }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const digest = hash('sha1', files.map((file) => `${file.path}\0${file.text}`).join('\0'), 'hex');
  return { files, digest };
}

const isPartial = (path: string): boolean => path.endsWith(PARTIAL);
const partialName = (path: string): string => basename(path, PARTIAL);

/**
 * What `npm run build` writes to dist/templates/<generator>.cjs: Handlebars compiled to
 * JavaScript ahead of time, since compiling is most of a generator run's own CPU (the
 * route generator: ~0.2 s of it, on every run).
 */
export interface PrecompiledTemplates {
  digest: string;
  partials: Record<string, TemplateSpecification>;
  templates: { source: string; header: TemplateHeader; to: TemplateSpecification; body: TemplateSpecification }[];
}

/** The JavaScript of a generator's precompiled templates, for the build to write. */
export function precompileTemplates(generator: string): string {
  const { files, digest } = readTemplateSources(generator);
  const spec = (template: string): string => String(compiler().precompile(template, COMPILE_OPTIONS));
  const partials = files
    .filter((file) => isPartial(file.path))
    .map((file) => `    ${JSON.stringify(partialName(file.path))}: ${spec(file.text)},`);
  const templates = files
    .filter((file) => !isPartial(file.path))
    .map((file) => {
      const { header, body } = parseFrontMatter(file.path, file.text);
      return `    { source: ${JSON.stringify(file.path)}, header: ${JSON.stringify(header)}, to: ${spec(header.to)}, body: ${spec(body)} },`;
    });
  return [
    `// Written by \`npm run build\` from templates/${generator}; loaded only while its digest matches them.`,
    'module.exports = {',
    `  digest: ${JSON.stringify(digest)},`,
    '  partials: {',
    ...partials,
    '  },',
    '  templates: [',
    ...templates,
    '  ],',
    '};',
    '',
  ].join('\n');
}

export const precompiledPath = (generator: string): string => join(packRoot, 'dist', 'templates', `${generator}.cjs`);

function readPrecompiled(generator: string, digest: string): PrecompiledTemplates | undefined {
  const path = precompiledPath(generator);
  if (!existsSync(path)) return undefined;
  const built = load(path) as PrecompiledTemplates;
  // Templates edited since the build: compile them as they are now.
  return built.digest === digest ? built : undefined;
}

/** Every `*.hbs` file under `templates/<generator>/`, loaded once per process. */
export function loadTemplates(generator: string): Template[] {
  const cached = cache.get(generator);
  if (cached !== undefined) return cached;
  const sources = readTemplateSources(generator);
  const built = readPrecompiled(generator, sources.digest);
  const templates = built !== undefined ? instantiateTemplates(built) : compileTemplates(sources);
  cache.set(generator, templates);
  return templates;
}

/** Templates from what the build precompiled. */
export function instantiateTemplates(built: PrecompiledTemplates): Template[] {
  const handlebars = newHandlebars(runtime);
  for (const [name, spec] of Object.entries(built.partials)) {
    handlebars.registerPartial(name, handlebars.template(spec));
  }
  return built.templates.map(({ source, header, to, body }) =>
    template(source, header, handlebars.template(to), handlebars.template(body)),
  );
}

/** Templates compiled from their sources now. */
export function compileTemplates(sources: TemplateSources): Template[] {
  const handlebars = newHandlebars(compiler());
  // `name.partial.hbs` is not a file of its own: its generator's templates include it as {{> name}}.
  for (const file of sources.files.filter((each) => isPartial(each.path))) {
    handlebars.registerPartial(partialName(file.path), file.text);
  }
  return sources.files
    .filter((file) => !isPartial(file.path))
    .map((file) => parseTemplate(file.path, file.text, handlebars));
}

export function parseTemplate(
  source: string,
  text: string,
  handlebars: HandlebarsEnv = newHandlebars(compiler()),
): Template {
  const { header, body } = parseFrontMatter(source, text);
  return template(
    source,
    header,
    handlebars.compile(header.to, COMPILE_OPTIONS),
    handlebars.compile(body, COMPILE_OPTIONS),
  );
}

function template(
  source: string,
  header: TemplateHeader,
  target: (context: object) => string,
  body: (context: object) => string,
): Template {
  const { action, after, before, when } = header;
  return {
    source,
    action,
    ...(after !== undefined ? { after } : {}),
    ...(before !== undefined ? { before } : {}),
    ...(when !== undefined ? { when } : {}),
    target: (context) => target(context),
    render: (context) => body(context),
  };
}

function parseFrontMatter(source: string, text: string): { header: TemplateHeader; body: string } {
  // An options object bypasses gray-matter's cache, which hands out one shared data object.
  const { data, content } = frontMatter()(text, {});
  const fail = (problem: string): never => {
    throw new Error(`template ${source}: ${problem}`);
  };
  const { to, action = 'create', after, before, when, ...rest } = data as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) {
    fail(`unknown front-matter key(s) ${unknownKeys.join(', ')}; allowed: to, action, after, before, when`);
  }
  if (typeof to !== 'string' || to.length === 0) fail('front matter needs "to: <target path>"');
  if (!ACTIONS.includes(action as TemplateAction)) fail(`action must be one of ${ACTIONS.join(', ')}`);
  const marker = [after, before].filter((value) => typeof value === 'string' && value.length > 0);
  if (action === 'inject' && marker.length !== 1)
    fail('an inject template needs "after: <marker>" or "before: <marker>"');
  if (when !== undefined && typeof when !== 'string') fail('"when" names a boolean of the context');
  return {
    header: {
      to: to as string,
      action: action as TemplateAction,
      ...(typeof after === 'string' ? { after } : {}),
      ...(typeof before === 'string' ? { before } : {}),
      ...(typeof when === 'string' ? { when } : {}),
    },
    body: content.replace(/^\n/, ''),
  };
}

/** A file the run removes; the plan refuses nothing for a file that is already gone. */
export const deletion = (path: string, source: string): Placed => ({ source, action: 'delete', path, content: '' });

/** Renders a generator's templates with one context; skips those whose `when` is false. */
export function renderTemplates(generator: string, context: Record<string, unknown>): Placed[] {
  return loadTemplates(generator)
    .filter((template) => template.when === undefined || valueAt(context, template.when) === true)
    .map((template) => place(template, context));
}

/** One template of a generator, rendered: a file another generator needs too (services/deps.ts). */
export function renderTemplate(generator: string, source: string, context: Record<string, unknown>): Placed {
  const template = loadTemplates(generator).find((each) => each.source === source);
  if (template === undefined) throw new Error(`${generator} has no template ${source}`);
  return place(template, context);
}

function place(template: Template, context: Record<string, unknown>): Placed {
  return {
    source: template.source,
    action: template.action,
    ...(template.after !== undefined ? { after: template.after } : {}),
    ...(template.before !== undefined ? { before: template.before } : {}),
    path: template.target(context),
    content: template.render(context),
  };
}

/** `a.b` -> context.a.b */
const valueAt = (context: Record<string, unknown>, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], context);

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
