import { existsSync } from 'node:fs';
import { defineGenerator } from '../../src/engine/generator.js';
import { renderTemplates } from '../../src/engine/templates.js';
import { reservedWordProblem } from '../../src/naming/reserved-words.js';
import { type ResourceNames, resourceNames } from '../../src/naming/spellings.js';
import { manifestWith } from '../../src/project/manifest.js';
import { serviceProblem } from '../../src/project/service.js';
import { fieldsProblem, olderServiceProblems, referenceProblems, schemaFile } from './checks.js';
import { DSL_HELP, type FieldSpec, parseFields } from './fields.js';
import { buildResourceModel } from './resource-model.js';

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
  ],
  handEdits:
    'Then write the business rules the fields alone cannot express in `src/services/<plural>.ts` (the generated service validates and stores), with a test for each rule in `test/<plural>.test.ts`. Do not hand-write tables, schemas, routes or migrations for a resource: generate it.',
  examples: [
    { name: 'users', fields: 'email:email:unique name:string' },
    { name: 'posts', fields: 'title:string:unique body:text? published:boolean=false author:references(users)' },
  ],
  normalize: (answers) => ({
    resource: resourceNames(answers.name ?? ''),
    fields: parseFields(answers.fields ?? ''),
  }),
  root: (_options, context) => context.destBasePath,
  preflight({ resource, fields }, context) {
    const root = context.destBasePath;
    const notAService = serviceProblem(root);
    if (notAService !== undefined) return [notAService];
    const problems = olderServiceProblems(root);
    if (!context.force && existsSync(schemaFile(root, resource.plural.kebab))) {
      problems.push(
        `resource "${resource.plural.camel}" already exists (src/db/schema/${resource.plural.kebab}.ts); pass --force to generate it again`,
      );
    }
    problems.push(...referenceProblems(root, resource.plural.kebab, fields));
    return problems;
  },
  render: ({ resource, fields }, context) => [
    ...renderTemplates('route', { ...buildResourceModel(resource, fields) }),
    manifestWith(context.destBasePath, resource.plural.camel, fields.map((field) => field.token).join(' ')),
  ],
  migration: ({ resource }, context) => ({ name: `create_${resource.plural.snake}`, allowNoChange: context.force }),
  nextSteps: () => ['npm run typecheck', 'npm test', 'npm run db:migrate (when DATABASE_URL is a PostgreSQL server)'],
});
