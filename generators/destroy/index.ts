import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFiles } from '../../src/engine/format.js';
import { defineGenerator } from '../../src/engine/generator.js';
import { removeLines } from '../../src/engine/injection.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import { PlanError } from '../../src/engine/plan.js';
import { type Placed, renderTemplates } from '../../src/engine/templates.js';
import { type ResourceNames, resourceNames, spell } from '../../src/naming/spellings.js';
import { type Manifest, manifestChanged, readManifest, withEntry } from '../../src/project/manifest.js';
import { serviceProblem } from '../../src/project/service.js';
import { envNameProblem } from '../env/index.js';
import { generatedResourceProblem } from '../route/checks.js';
import { parseFields } from '../route/fields.js';
import { generatedFiles, recordedChange } from '../route/merge-resource.js';
import { resourceModelIn } from '../route/resource-model-in.js';
import { envRemoved } from './env-removal.js';

export const DESTROYABLE = ['route', 'field', 'action', 'index', 'env'] as const;
type Destroyable = (typeof DESTROYABLE)[number];

interface DestroyOptions {
  what: Destroyable;
  resource: ResourceNames;
  /** For env: the variable's name. */
  variable: string;
  /** field: the field names; action: its name; index: what it is on. */
  target: string;
}

const TARGET_HELP =
  'route and env: nothing; field: the field names, space separated; action: its name; index: what it is on, as given (e.g. "book where returnedAt is null")';

/** The manifest without what is destroyed; every problem in the way, by name. */
function manifestWithout(manifest: Manifest, { what, resource, target }: DestroyOptions): Manifest | string[] {
  const name = resource.plural.camel;
  const spec = manifest.resources[name] ?? '';
  const actions = manifest.actions?.[name] ?? {};
  const indexes = manifest.indexes?.[name] ?? [];
  if (what === 'route') {
    const referring = Object.entries(manifest.resources)
      .filter(
        ([other, fields]) =>
          other !== name && parseFields(fields).some((field) => field.references?.resource.plural.camel === name),
      )
      .map(([other]) => other);
    if (referring.length > 0) {
      const one = referring.length === 1;
      return [
        `${referring.join(', ')} ${one ? 'references' : 'reference'} ${name}; destroy ${referring.join(', ')} (or ${one ? 'its reference field' : 'their reference fields'}) first`,
      ];
    }
    const { [name]: _resource, ...resources } = manifest.resources;
    const { [name]: _actions, ...otherActions } = manifest.actions ?? {};
    const { [name]: _indexes, ...otherIndexes } = manifest.indexes ?? {};
    return {
      ...manifest,
      resources,
      access: withEntry(manifest.access, name, undefined),
      owned: (manifest.owned ?? []).filter((owned) => owned !== name),
      actions: otherActions,
      indexes: otherIndexes,
    };
  }
  if (what === 'field') {
    const fields = parseFields(spec);
    const names = target.split(/\s+/).filter(Boolean);
    const problems: string[] =
      names.length === 0
        ? [`name the fields to remove; ${name}'s fields: ${fields.map((field) => field.name).join(', ')}`]
        : [];
    const removed = names.flatMap((written) => {
      const field = fields.find((candidate) => candidate.name === written || candidate.name === `${written}Id`);
      if (field === undefined)
        problems.push(`${name} has no field "${written}"; its fields: ${fields.map((f) => f.name).join(', ')}`);
      return field === undefined ? [] : [field];
    });
    for (const field of removed) {
      for (const [action, recorded] of Object.entries(actions)) {
        if (JSON.stringify(recorded).includes(field.name))
          problems.push(`the ${action} action of ${name} uses ${field.name}; destroy it first`);
      }
      for (const index of indexes) {
        if (index.on.includes(field.name) || index.on.split(/[\s,]/).includes(field.name.replace(/Id$/, ''))) {
          problems.push(`the index on "${index.on}" uses ${field.name}; destroy it first`);
        }
      }
    }
    if (removed.length === fields.length && removed.length > 0)
      problems.push(`that is every field of ${name}; destroy the route instead`);
    if (problems.length > 0) return problems;
    const kept = fields.filter((field) => !removed.includes(field)).map((field) => field.token);
    return { ...manifest, resources: { ...manifest.resources, [name]: kept.join(' ') } };
  }
  if (what === 'action') {
    if (actions[target] === undefined) {
      return [`${name} has no action "${target}"; its actions: ${Object.keys(actions).join(', ') || 'none'}`];
    }
    const { [target]: _removed, ...rest } = actions;
    return { ...manifest, actions: { ...manifest.actions, [name]: rest } };
  }
  const on = target.trim().replace(/\s+/g, ' ');
  if (!indexes.some((index) => index.on === on)) {
    return [
      `${name} has no index on "${on}"; its indexes: ${indexes.map((index) => `"${index.on}"`).join(', ') || 'none'}`,
    ];
  }
  return { ...manifest, indexes: { ...manifest.indexes, [name]: indexes.filter((index) => index.on !== on) } };
}

/** Route: its own files deleted and its registrations taken out, refused where they were edited by hand. */
async function routeRemoved(
  root: string,
  resource: ResourceNames,
  manifest: Manifest,
  force: boolean,
): Promise<Placed[]> {
  const fields = parseFields(manifest.resources[resource.plural.camel] ?? '');
  const model = resourceModelIn(root, resource, fields, {}, manifest);
  const placed = renderTemplates('route', { ...model });
  const { own } = await generatedFiles(root, model);
  const problems: string[] = [];
  const changes: Placed[] = [];
  const current = new Map<string, string>();
  const read = (path: string) =>
    current.get(path) ?? (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
  for (const [path, generated] of own) {
    const content = read(path);
    if (content === undefined) continue;
    if (content !== generated && !force)
      problems.push(`${path} was changed by hand; move what you wrote elsewhere, or pass --force to delete it anyway`);
    changes.push({ source: 'destroy', action: 'delete', path, content: '' });
  }
  for (const file of placed.filter((candidate) => candidate.action === 'inject' || candidate.action === 'import')) {
    const content = read(file.path);
    const without = content === undefined ? undefined : removeLines(content, file.content);
    if (without === undefined) {
      if (!force)
        problems.push(
          `${file.path} does not hold "${file.content.trim()}" as generated; take it out by hand, or pass --force to leave it`,
        );
      continue;
    }
    current.set(file.path, without);
  }
  if (problems.length > 0) throw new PlanError(problems);
  // The seed script the first resource wrote seeds nothing once the last one is gone, and
  // would not typecheck: it goes too, as a service without resources has none.
  const seed = 'scripts/seed.ts';
  const others = Object.keys(manifest.resources).filter((name) => name !== resource.plural.camel);
  const skeleton = placed.find((file) => file.path === seed && file.action === 'skip-if-exists');
  if (others.length === 0 && skeleton !== undefined && current.has(seed)) {
    const [formatted] = (await formatFiles(new Map([[seed, skeleton.content]]), root)).values();
    if (current.get(seed) === formatted) {
      current.delete(seed);
      changes.push({ source: 'destroy', action: 'delete', path: seed, content: '' });
    }
  }
  for (const [path, content] of current) changes.push({ source: 'destroy', action: 'replace', path, content });
  return changes;
}

export const destroyGenerator = defineGenerator<DestroyOptions>({
  name: 'destroy',
  description:
    'Removes what route, field, action, index or env generated: files, registrations, manifest entries, and a drizzle-kit migration that drops the table, column or index',
  inputs: [
    {
      name: 'what',
      message: `What to remove (${DESTROYABLE.join(', ')})`,
      description: `The generator whose work is removed: ${DESTROYABLE.join(', ')}`,
      validate: (value) =>
        (DESTROYABLE as readonly string[]).includes(value)
          ? undefined
          : `"${value}" cannot be destroyed; use ${DESTROYABLE.join(', ')}`,
      examples: ['route', 'field', 'action', 'index', 'env'],
    },
    {
      name: 'name',
      message: 'Resource (plural, as generated), or the variable for env',
      description: 'The resource it belongs to, as it was generated; for env, the variable (UPPER_SNAKE_CASE)',
      examples: ['posts', 'CACHE_TTL'],
    },
    {
      name: 'target',
      message: 'Which (fields, action or index; empty for a route)',
      description: `What exactly: ${TARGET_HELP}`,
      optional: true,
      examples: ['summary rating', 'publish'],
    },
  ],
  handEdits:
    "Then remove what you wrote that used it (the generated tests and code are merged already; a run with conflicts names the files). A route's files edited by hand are refused unless --force: move your code out first.",
  examples: [{ what: 'index', name: 'posts', target: 'published,createdAt' }],
  normalize: (answers) => ({
    what: (answers.what ?? 'route') as Destroyable,
    resource: resourceNames(answers.name ?? ''),
    variable: answers.name ?? '',
    target: answers.target ?? '',
  }),
  root: (_options, context) => context.destBasePath,
  preflight(options, context) {
    const root = context.destBasePath;
    const notAService = serviceProblem(root);
    if (notAService !== undefined) return [notAService];
    if (options.what === 'env') {
      const badName = envNameProblem(options.variable);
      if (badName !== undefined) return [badName];
      return options.target === '' ? [] : [`destroy env takes no target ("${options.target}"); ${TARGET_HELP}`];
    }
    const notGenerated = generatedResourceProblem(root, options.resource, 'remove it by hand');
    if (notGenerated !== undefined) return [notGenerated];
    if (options.what === 'route' && options.target !== '')
      return [`destroy route takes no target ("${options.target}"); ${TARGET_HELP}`];
    const after = manifestWithout(readManifest(root), options);
    return Array.isArray(after) ? after : [];
  },
  async render(options, context) {
    const root = context.destBasePath;
    if (options.what === 'env') return envRemoved(root, options.variable);
    const before = readManifest(root);
    const after = manifestWithout(before, options);
    if (Array.isArray(after)) throw new PlanError(after);
    if (options.what === 'route') {
      return [
        ...(await routeRemoved(root, options.resource, before, context.force)),
        manifestChanged(root, () => after),
      ];
    }
    return recordedChange(root, options.resource, () => after, `removing the ${options.what}`);
  },
  // env changes no table; drizzle-kit then finds nothing to do, which is fine.
  migration: ({ what, resource, target }) => ({
    name: (what === 'route'
      ? `drop_${resource.plural.snake}`
      : what === 'field'
        ? `drop_${spell(target).snake}_from_${resource.plural.snake}`
        : `drop_${what}_${resource.plural.snake}_${spell(target.split(' ')[0] ?? '').snake}`
    ).slice(0, 60),
    // An action has no column of its own: nothing to migrate.
    allowNoChange: what === 'action' || what === 'env',
  }),
  nextSteps: ({ what }) => [
    'npm run typecheck',
    'npm test',
    ...(what === 'env' || what === 'action' ? [] : [MIGRATE_STEP]),
  ],
});
