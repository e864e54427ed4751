import { existsSync, readdirSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { agentFiles } from '../src/agent.js';
import type { Generator } from '../src/generator.js';
import { packDependency } from '../src/pack.js';
import { renderTemplates } from '../src/templates.js';
import { isTrue, npmPackageNameProblem } from '../src/validators.js';

const targetDir = (dir: string, cwd: string) => resolve(cwd, dir);

/** `catalogue` lists every generator, for the agent instructions the service gets. */
export const serviceGenerator = (catalogue: () => Generator[]): Generator => ({
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
    {
      name: 'agent',
      message: 'Install the backend-dev agent for AI coding agents (true/false)?',
      description:
        'Also write .claude/agents/backend-dev.md, AGENTS.md, CLAUDE.md and .claude/settings.json (see the agent generator)',
      default: 'true',
      flag: true,
      examples: ['false'],
    },
  ],
  handEdits:
    'Then `cd` into it and run `npm install && npm test && npm start`; the new service has its own copy of these instructions.',
  examples: [{ dir: '../billing-service', description: 'Bills customers.' }],
  root: (answers, context) => targetDir(answers.dir ?? '', context.cwd),
  preflight(answers, context) {
    const dir = targetDir(answers.dir ?? '', context.cwd);
    if (!existsSync(dir) || context.force) return [];
    return readdirSync(dir).length > 0
      ? [`${dir} is not empty; choose a new or empty directory, or pass --force to write the service's files into it`]
      : [];
  },
  render: (answers, context) => {
    const root = targetDir(answers.dir ?? '', context.cwd);
    return [
      ...renderTemplates('service', { name: answers.name, description: answers.description, packDependency }),
      ...(isTrue(answers.agent ?? 'true') ? agentFiles(root, catalogue()) : []),
    ];
  },
  nextSteps: (answers, context) => [
    `cd ${relative(context.cwd, targetDir(answers.dir ?? '', context.cwd)) || '.'}`,
    'npm install',
    'npm test',
    'npm start',
  ],
});
