import { existsSync } from 'node:fs';
import { defineGenerator } from '../../src/engine/generator.js';
import { MIGRATE_STEP } from '../../src/engine/migrations.js';
import { renderTemplates } from '../../src/engine/templates.js';
import { isTrue } from '../../src/engine/validators.js';
import { reservedWordProblem } from '../../src/naming/reserved-words.js';
import { type ResourceNames, resourceNames } from '../../src/naming/spellings.js';
import { databaseOf, manifestChanged, readManifest, withEntry } from '../../src/project/manifest.js';
import { serviceProblem } from '../../src/project/service.js';
import { ACCESS_HELP, accessProblem } from './access.js';
import {
  fieldsProblem,
  mysqlKeyProblems,
  mysqlNameProblems,
  olderServiceProblems,
  positionalEnumProblems,
  referenceProblems,
  regenerationProblems,
  schemaFile,
} from './checks.js';
import { DSL_HELP, type FieldSpec, parseFields } from './fields.js';
import { regeneratedResource } from './merge-resource.js';
import { resourceModelIn } from './resource-model-in.js';

const RESOURCE_NAME = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
// Paths the service already serves.
const TAKEN = new Set(['healthz', 'readyz', 'docs', 'openapi']);

function nameProblem(value: string): string | undefined {
  if (!RESOURCE_NAME.test(value)) {
    return `"${value}" is not a valid resource name: use letters and digits (camelCase, snake_case or kebab-case), starting with a letter, in the plural, e.g. posts or blogPosts`;
  }
  // Only the plural stands alone in code (the table's variable) and in SQL (the table).
  const { plural } = resourceNames(value);
  if (TAKEN.has(plural.kebab)) return `"${value}" would clash with the service's own /${plural.kebab} route`;
  return reservedWordProblem(value) ?? reservedWordProblem(plural.camel) ?? reservedWordProblem(plural.snake);
}

interface RouteOptions {
  resource: ResourceNames;
  fields: FieldSpec[];
  owned: boolean;
  /** The access rules as given; empty: the default rule. */
  access: string;
}

export const routeGenerator = defineGenerator<RouteOptions>({
  name: 'route',
  description: 'A complete CRUD resource: table, migration, zod schemas, service, Fastify routes and tests',
  inputs: [
    {
      name: 'name',
      message: 'Resource name, plural (e.g. posts)',
      description: 'The resource, in the plural: its table, URL path (/posts) and file names come from it',
      validate: nameProblem,
      examples: ['posts', 'blogPosts', 'categories'],
    },
    {
      name: 'fields',
      message: 'Fields (name:type[:modifier...][=default], space separated)',
      description: `The resource's fields; id, createdAt and updatedAt are added. ${DSL_HELP}`,
      validate: fieldsProblem,
      examples: [
        'title:string:unique body:text? published:boolean=false',
        'status:enum(draft,published)=draft author:references(users) rating:integer:index',
      ],
    },
    {
      name: 'owned',
      message: 'Do rows have owners (true/false)?',
      description:
        "true gives each row an owner: the signed-in user who creates it (from the token, never the body). Owners list, read, change and delete only their own rows (another's is a 404); roles named in an owner rule see every row. Needs auth",
      default: 'false',
      flag: true,
      examples: ['true'],
    },
    {
      name: 'access',
      message: 'Access rules (action:who, space separated; empty: signed-in users)',
      description: `Who may do what, once auth is installed. ${ACCESS_HELP}`,
      optional: true,
      validate: (value, answers, context) =>
        accessProblem(value, isTrue(answers.owned ?? 'false'), readManifest(context.destBasePath)),
      examples: ['read:public write:admin', 'create:member read:owner,staff update:owner delete:staff'],
    },
  ],
  handEdits:
    'Then write the business rules the fields alone cannot express in `src/services/<plural>.ts` (the generated service validates and stores), with a test for each rule in `test/<plural>.test.ts`. Do not hand-write tables, schemas, routes or migrations for a resource: generate it.',
  examples: [
    { name: 'authors', fields: 'email:email:unique name:string' },
    { name: 'posts', fields: 'title:string:unique body:text? published:boolean=false author:references(authors)' },
  ],
  normalize: (answers) => ({
    resource: resourceNames(answers.name ?? ''),
    fields: parseFields(answers.fields ?? ''),
    owned: isTrue(answers.owned ?? 'false'),
    access: answers.access ?? '',
  }),
  root: (_options, context) => context.destBasePath,
  preflight({ resource, fields, owned }, context) {
    const root = context.destBasePath;
    const notAService = serviceProblem(root);
    if (notAService !== undefined) return [notAService];
    const problems = olderServiceProblems(root);
    const manifest = readManifest(root);
    const { auth } = manifest;
    const database = databaseOf(manifest);
    if (owned && auth === undefined) {
      problems.push('--owned rows belong to users, and this service has none yet: run npx plop auth first');
    }
    if (auth !== undefined && ['users', 'sessions'].includes(resource.plural.kebab)) {
      problems.push(`"${resource.plural.camel}" is auth's own table; name the resource otherwise`);
    }
    if (!context.force && existsSync(schemaFile(root, resource.plural.kebab))) {
      problems.push(
        `resource "${resource.plural.camel}" already exists (src/db/schema/${resource.plural.kebab}.ts); pass --force to generate it again`,
      );
    }
    if (fields.every((field) => field.visibility !== 'public')) {
      problems.push('every field is private or readonly: a resource needs at least one field that requests carry');
    }
    problems.push(...referenceProblems(root, resource.plural.kebab, fields));
    problems.push(...positionalEnumProblems(manifest, resource.plural.camel, fields));
    problems.push(...regenerationProblems(manifest, resource.plural.camel, fields));
    problems.push(...mysqlKeyProblems(database, fields));
    problems.push(...mysqlNameProblems(database, resource.plural.snake, fields, owned));
    return problems;
  },
  render: async ({ resource, fields, owned, access }, context) => {
    const root = context.destBasePath;
    const model = resourceModelIn(root, resource, fields, { spec: access, owned });
    const rendered = renderTemplates('route', { ...model });
    const recorded = readManifest(root).resources[resource.plural.camel];
    const files =
      context.force && recorded !== undefined && existsSync(schemaFile(root, resource.plural.kebab))
        ? await regeneratedResource(root, resource, recorded, model, rendered)
        : rendered;
    return [
      ...files,
      manifestChanged(root, (manifest) => ({
        ...manifest,
        resources: { ...manifest.resources, [resource.plural.camel]: fields.map((field) => field.token).join(' ') },
        access: withEntry(manifest.access, resource.plural.camel, access === '' ? undefined : access),
        owned: [
          ...(manifest.owned ?? []).filter((name) => name !== resource.plural.camel),
          ...(owned ? [resource.plural.camel] : []),
        ],
      })),
    ];
  },
  // Generated again over its table (--force), the migration alters it: named for that.
  migration: ({ resource }, context) => ({
    name: `${existsSync(schemaFile(context.destBasePath, resource.plural.kebab)) ? 'change' : 'create'}_${resource.plural.snake}`,
    allowNoChange: context.force,
  }),
  nextSteps: () => ['npm run typecheck', 'npm test', MIGRATE_STEP],
});
