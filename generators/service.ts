import { existsSync, readdirSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import type { Generator } from '../src/generator.js';
import { packDependency } from '../src/pack.js';
import { renderTemplates } from '../src/templates.js';
import { npmPackageNameProblem } from '../src/validators.js';

const targetDir = (dir: string, cwd: string) => resolve(cwd, dir);

export const serviceGenerator: Generator = {
  name: 'service',
  description: 'A new Fastify + Drizzle + zod service that runs at once on an embedded PostgreSQL',
  inputs: [
    {
      name: 'dir',
      message: 'Directory for the new service',
      description: 'Where to write the service, relative to the current directory; it must be empty or not exist',
      examples: ['orders-service', '../services/billing'],
    },
    {
      name: 'name',
      message: 'Package name',
      description: 'The npm package name of the service; defaults to the directory name',
      default: (answers, context) => basename(targetDir(answers.dir ?? '', context.cwd)),
      validate: npmPackageNameProblem,
      examples: ['orders-service', '@acme/billing'],
    },
    {
      name: 'description',
      message: 'One-line description',
      description: 'What the service does, for package.json, the README and the OpenAPI document',
      default: 'A Fastify + Drizzle + zod service.',
      validate: (value) => (/[\r\n]/.test(value) ? 'must be a single line' : undefined),
      examples: ['Takes and tracks customer orders.'],
    },
  ],
  examples: [{ dir: '../billing-service', description: 'Bills customers.' }],
  root: (answers, context) => targetDir(answers.dir ?? '', context.cwd),
  preflight(answers, context) {
    const dir = targetDir(answers.dir ?? '', context.cwd);
    if (!existsSync(dir) || context.force) return [];
    return readdirSync(dir).length > 0
      ? [`${dir} is not empty; choose a new or empty directory, or pass --force to write the service's files into it`]
      : [];
  },
  render: (answers) =>
    renderTemplates('service', {
      name: answers.name,
      description: answers.description,
      packDependency,
    }),
  nextSteps: (answers, context) => [
    `cd ${relative(context.cwd, targetDir(answers.dir ?? '', context.cwd)) || '.'}`,
    'npm install',
    'npm test',
    'npm start',
  ],
};
