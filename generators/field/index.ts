import { defineGenerator } from '../../src/engine/generator.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import { type ResourceNames, resourceNames } from '../../src/naming/spellings.js';
import { databaseOf, readManifest } from '../../src/project/manifest.js';
import {
  existingRowsProblem,
  fieldsProblem,
  generatedResourceProblem,
  mysqlKeyProblems,
  mysqlNameProblems,
  referenceProblems,
} from '../route/checks.js';
import { DSL_HELP, type FieldSpec, parseFields } from '../route/fields.js';
import { recordedChange } from '../route/merge-resource.js';

interface FieldOptions {
  resource: ResourceNames;
  added: FieldSpec[];
  /** The new fields as given, to append to the resource's recorded spec. */
  addedSpec: string;
}

const recordedSpec = (root: string, resource: ResourceNames) => readManifest(root).resources[resource.plural.camel];
const joinSpecs = (...specs: string[]) => specs.join(' ').trim().split(/\s+/).join(' ');

export const fieldGenerator = defineGenerator<FieldOptions>({
  name: 'field',
  description:
    'New fields on an existing resource: table, schemas, tests and an ALTER TABLE migration, keeping hand edits',
  inputs: [
    {
      name: 'name',
      message: 'Resource (plural, as generated)',
      description: 'The existing resource to add fields to, as it was generated (e.g. posts)',
      examples: ['posts'],
    },
    {
      name: 'fields',
      message: 'New fields (same syntax as route)',
      description: `The fields to add. ${DSL_HELP}. A new field needs a default or ? (optional), since the table may have rows.`,
      validate: fieldsProblem,
      examples: ['summary:text?', 'rating:integer=0 featured:boolean=false'],
    },
  ],
  handEdits:
    "If the result lists conflicts (exit 1), the files it names hold <<<<<<< your edits / >>>>>>> generated now blocks where your edits and the new lines met: keep both sides' lines in each and delete the markers. Then use the new fields in the service's rules where the task needs them. Fields are added with defaults or as optional because the table may already hold rows; to make one required later, backfill it with a custom migration first.",
  examples: [{ name: 'posts', fields: 'summary:text? rating:integer=0' }],
  normalize: (answers) => ({
    resource: resourceNames(answers.name ?? ''),
    added: parseFields(answers.fields ?? ''),
    addedSpec: answers.fields ?? '',
  }),
  root: (_options, context) => context.destBasePath,
  preflight({ resource, added }, context) {
    const root = context.destBasePath;
    const notGenerated = generatedResourceProblem(root, resource, 'add the fields by hand');
    if (notGenerated !== undefined) return [notGenerated];
    const recorded = recordedSpec(root, resource) ?? '';
    const existing = new Set(parseFields(recorded).map((field) => field.name));
    const problems = added.flatMap((field) => [
      ...(existing.has(field.name)
        ? [`"${field.token}": ${resource.plural.camel} already has a field "${field.name}"`]
        : []),
      ...[existingRowsProblem(field)].filter((problem): problem is string => problem !== undefined),
    ]);
    problems.push(...referenceProblems(root, resource.plural.kebab, added));
    const database = databaseOf(readManifest(root));
    problems.push(...mysqlKeyProblems(database, added));
    problems.push(...mysqlNameProblems(database, resource.plural.snake, added, false));
    return problems;
  },
  render({ resource, addedSpec }, context) {
    const name = resource.plural.camel;
    return recordedChange(
      context.destBasePath,
      resource,
      (manifest) => ({
        ...manifest,
        resources: { ...manifest.resources, [name]: joinSpecs(manifest.resources[name] ?? '', addedSpec) },
      }),
      'adding fields',
    );
  },
  migration: ({ resource, added }) => {
    const columns = added.map((field) => field.column);
    return { name: `add_${columns.join('_')}_to_${resource.plural.snake}`.slice(0, 60), allowNoChange: false };
  },
  nextSteps: () => ['npm run typecheck', 'npm test', MIGRATE_STEP],
});
