import { defineGenerator } from '../../src/engine/generator.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import { isTrue } from '../../src/engine/validators.js';
import { type ResourceNames, resourceNames, spell } from '../../src/naming/spellings.js';
import { databaseOf, type Manifest, readManifest } from '../../src/project/manifest.js';
import { generatedResourceProblem, mysqlKeyLengthProblem, mysqlKeyProblems } from '../route/checks.js';
import { parseFields } from '../route/fields.js';
import { INDEX_HELP, type IndexSpec, parseIndex } from '../route/indexes.js';
import { recordedChange } from '../route/merge-resource.js';

interface IndexOptions {
  resource: ResourceNames;
  spec: IndexSpec;
}

const withIndex = (manifest: Manifest, { resource, spec }: IndexOptions): Manifest => ({
  ...manifest,
  indexes: {
    ...manifest.indexes,
    [resource.plural.camel]: [...(manifest.indexes?.[resource.plural.camel] ?? []), spec],
  },
});

export const indexGenerator = defineGenerator<IndexOptions>({
  name: 'index',
  description:
    'An index across fields of a resource, or a uniqueness rule across fields and with conditions (--unique): the table, a migration and a 409 test',
  inputs: [
    {
      name: 'name',
      message: 'Resource (plural, as generated)',
      description: 'The existing resource the index is on, as it was generated (e.g. loans)',
      examples: ['loans'],
    },
    {
      name: 'on',
      message: 'Fields (a,b[ where <conditions>])',
      description: `What the index is on. ${INDEX_HELP}`,
      examples: ['book where returnedAt is null', 'owner,slug', 'status,createdAt'],
    },
    {
      name: 'unique',
      message: 'Unique (true/false)?',
      description:
        'true: no two rows may have the same values in these fields (among the rows meeting the conditions); a write that would is answered 409',
      default: 'false',
      flag: true,
      examples: ['true'],
    },
  ],
  handEdits:
    'Nothing: the database holds a unique index whatever code writes the row, and a breach is answered 409 like a unique field.',
  examples: [{ name: 'posts', on: 'published,createdAt', unique: 'false' }],
  normalize: (answers) => ({
    resource: resourceNames(answers.name ?? ''),
    spec: { on: (answers.on ?? '').trim().replace(/\s+/g, ' '), unique: isTrue(answers.unique ?? 'false') },
  }),
  root: (_options, context) => context.destBasePath,
  preflight({ resource, spec }, context) {
    const root = context.destBasePath;
    const notGenerated = generatedResourceProblem(root, resource, 'declare the index in its table by hand');
    if (notGenerated !== undefined) return [notGenerated];
    const manifest = readManifest(root);
    const name = resource.plural.camel;
    const parsed = parseIndex(
      spec,
      parseFields(manifest.resources[name] ?? ''),
      manifest.owned?.includes(name) ?? false,
    );
    if ('problems' in parsed) return parsed.problems;
    const database = databaseOf(manifest);
    const problems = mysqlKeyProblems(database, parsed.fields, () => true);
    const tooLong =
      problems.length === 0 ? mysqlKeyLengthProblem(database, spec.on, parsed.columns, parsed.fields) : undefined;
    if (tooLong !== undefined) problems.push(tooLong);
    if (database === 'mysql' && parsed.where.length > 0) {
      problems.push(
        `"${spec.on}": MySQL has no partial indexes (where ...): index the fields without the conditions, or, for a rule that holds only among some rows (one open loan per book), keep it in the service: in the create (and in the update or action that can break it), in a transaction that first locks the row the rule is about (the book's), as the agent file's "On a MySQL service" says`,
      );
    }
    if (problems.length > 0) return problems;
    const same = (manifest.indexes?.[name] ?? []).some((known) => known.on === spec.on && known.unique === spec.unique);
    return same ? [`${name} has this index already ("${spec.on}")`] : [];
  },
  render: (options, context) =>
    recordedChange(
      context.destBasePath,
      options.resource,
      (manifest) => withIndex(manifest, options),
      'adding the index',
    ),
  migration: ({ resource, spec }) => {
    const fields = spell(spec.on.split(' ')[0] ?? '').snake;
    return {
      name: `${spec.unique ? 'unique' : 'index'}_${resource.plural.snake}_${fields}`.slice(0, 60),
      allowNoChange: false,
    };
  },
  nextSteps: () => ['npm run typecheck', 'npm test', MIGRATE_STEP],
});
