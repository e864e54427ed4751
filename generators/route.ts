import { existsSync } from 'node:fs';
import { DSL_HELP, parseFields } from '../src/fields.js';
import type { Answers, Generator } from '../src/generator.js';
import { manifestWith } from '../src/manifest.js';
import { resourceNames } from '../src/naming.js';
import { reservedWordProblem } from '../src/reserved-words.js';
import { fieldsProblem, referenceProblems, schemaFile, serviceProblem } from '../src/resource-checks.js';
import { buildResourceModel } from '../src/resource-model.js';
import { renderTemplates } from '../src/templates.js';

const RESOURCE_NAME = /^[a-zA-Z][a-zA-Z0-9_-]*$/;
// Paths the service already serves.
const TAKEN = new Set(['healthz', 'readyz', 'docs', 'openapi']);

const names = (answers: Answers) => resourceNames(answers.name ?? '');

function nameProblem(value: string): string | undefined {
  if (!RESOURCE_NAME.test(value)) {
    return `"${value}" is not a valid resource name: use letters and digits (camelCase, snake_case or kebab-case), starting with a letter, in the plural, e.g. posts or blogPosts`;
  }
  // Only the plural stands alone in code (the table's variable) and in SQL (the table).
  const { plural } = resourceNames(value);
  if (TAKEN.has(plural.kebab)) return `"${value}" would clash with the service's own /${plural.kebab} route`;
  return reservedWordProblem(value) ?? reservedWordProblem(plural.camel) ?? reservedWordProblem(plural.snake);
}

export const routeGenerator: Generator = {
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
  root: (_answers, context) => context.destBasePath,
  preflight(answers, context) {
    const root = context.destBasePath;
    const notAService = serviceProblem(root);
    if (notAService !== undefined) return [notAService];
    const problems: string[] = [];
    const resource = names(answers);
    if (!context.force && existsSync(schemaFile(root, resource.plural.kebab))) {
      problems.push(
        `resource "${resource.plural.camel}" already exists (src/db/schema/${resource.plural.kebab}.ts); pass --force to generate it again`,
      );
    }
    problems.push(...referenceProblems(root, resource.plural.kebab, parseFields(answers.fields ?? '')));
    return problems;
  },
  render: (answers, context) => {
    const resource = names(answers);
    const fields = parseFields(answers.fields ?? '');
    return [
      ...renderTemplates('route', { ...buildResourceModel(resource, fields) }),
      manifestWith(context.destBasePath, resource.plural.camel, fields.map((field) => field.token).join(' ')),
    ];
  },
  migration: (answers, context) => ({ name: `create_${names(answers).plural.snake}`, allowNoChange: context.force }),
  nextSteps: () => ['npm run typecheck', 'npm test', 'npm run db:migrate (when DATABASE_URL is a PostgreSQL server)'],
};
