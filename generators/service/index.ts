import { existsSync, readdirSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { defineGenerator } from '../../src/engine/generator.js';
import { packDependency } from '../../src/engine/pack.js';
import { renderTemplates } from '../../src/engine/templates.js';
import { isTrue, npmPackageNameProblem } from '../../src/engine/validators.js';
import { DATABASES, type Database, databaseContext } from '../../src/project/manifest.js';
import { agentFiles } from '../agent/files.js';
import { deployFiles } from '../deploy/index.js';
import { commitNewService } from './git.js';
import { vendorPack } from './vendor.js';

const targetDir = (dir: string, cwd: string) => resolve(cwd, dir);

interface ServiceOptions {
  /** Absolute. */
  dir: string;
  name: string;
  description: string;
  database: Database;
  agent: boolean;
  git: boolean;
}

export const serviceGenerator = defineGenerator<ServiceOptions>({
  name: 'service',
  description:
    'A new Fastify + Drizzle + zod service: on an embedded PostgreSQL (PGlite) or a SQLite file, running at once; or on a MySQL or MariaDB server',
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
      name: 'db',
      message: 'Database (postgres, mysql or sqlite)',
      description:
        'postgres: PostgreSQL, embedded (PGlite) until DATABASE_URL names a server; mysql: a MySQL 8 or MariaDB 10.11+ server that DATABASE_URL names, through mysql2; sqlite: a SQLite file (.data/app.db) in the process, through better-sqlite3, for one instance',
      default: 'postgres',
      validate: (value) => {
        if ((DATABASES as readonly string[]).includes(value)) return undefined;
        if (/^mariadb$/i.test(value)) return 'use mysql: the mysql service runs on MariaDB 10.11 and later too';
        return `"${value}" is not a database this pack generates for: use postgres, mysql or sqlite`;
      },
      examples: ['sqlite'],
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
    {
      name: 'git',
      message: 'Make it a git repository with a first commit (true/false)?',
      description:
        'Run git init and commit the new service (main branch); skipped inside another git repository, and with false',
      default: 'true',
      flag: true,
      examples: ['false'],
    },
  ],
  handEdits:
    'Then `cd` into it and run `npm install && npm test && npm start` (a MySQL service: its next steps and README say which server and database its tests and its start need); the new service has its own copy of these instructions.',
  examples: [{ dir: '../billing-service', description: 'Bills customers.' }],
  normalize: (answers, context) => ({
    dir: targetDir(answers.dir ?? '', context.cwd),
    name: answers.name ?? '',
    description: answers.description ?? '',
    database: (answers.db ?? 'postgres') as Database,
    agent: isTrue(answers.agent ?? 'true'),
    git: isTrue(answers.git ?? 'true'),
  }),
  root: ({ dir }) => dir,
  preflight({ dir }, context) {
    if (!existsSync(dir) || context.force) return [];
    return readdirSync(dir).length > 0
      ? [`${dir} is not empty; choose a new or empty directory, or pass --force to write the service's files into it`]
      : [];
  },
  render: ({ dir, name, description, database, agent }, context) => [
    ...renderTemplates('service', { name, description, packDependency, database, db: databaseContext(database) }),
    ...deployFiles(name, packDependency.startsWith('file:'), database),
    // The service gets instructions for every generator of the pack.
    ...(agent ? agentFiles(dir, context.catalogue) : []),
  ],
  // The pack's tarball first, so the first commit holds a service that installs anywhere.
  afterApply: async ({ dir, git }) => [...(await vendorPack(dir)), ...(git ? await commitNewService(dir) : [])],
  nextSteps: ({ dir, git, database }, context) => [
    `cd ${relative(context.cwd, dir) || '.'}`,
    'npm install',
    // A clone needs the lockfile for npm ci; it exists only after the first install.
    ...(git ? ['git add package-lock.json && git commit -m "Lock the dependencies"'] : []),
    ...(database === 'mysql'
      ? [
          'TEST_DATABASE_URL=mysql://root@127.0.0.1:3306 npm test (a server the tests may create a database on)',
          "echo 'DATABASE_URL=mysql://root@127.0.0.1:3306/app' >> .env (a database made with the collation the README names)",
          'npm run db:migrate',
        ]
      : ['npm test']),
    'npm start',
  ],
});
