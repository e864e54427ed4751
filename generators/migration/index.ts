import { defineGenerator } from '../../src/engine/generator.js';
import { isTrue } from '../../src/engine/validators.js';
import { serviceProblem } from '../../src/project/service.js';

interface MigrationOptions {
  name: string;
  custom: boolean;
}

export const migrationGenerator = defineGenerator<MigrationOptions>({
  name: 'migration',
  description: 'A drizzle-kit migration from the current schema diff, or an empty SQL one to write by hand (--custom)',
  inputs: [
    {
      name: 'name',
      message: 'Migration name (snake_case)',
      description: 'What the migration does, in snake_case; it becomes part of the file name',
      validate: (value) =>
        /^[a-z][a-z0-9_]{0,59}$/.test(value)
          ? undefined
          : `"${value}" must be snake_case (a-z, 0-9, _), at most 60 characters, e.g. backfill_slugs`,
      examples: ['add_posts_search_index', 'backfill_slugs'],
    },
    {
      name: 'custom',
      message: 'Empty SQL migration to write by hand (true/false)?',
      description:
        'true for an empty SQL file to fill in (data migrations); false to diff src/db/schema against the last migration',
      default: 'false',
      flag: true,
      examples: ['true'],
    },
  ],
  handEdits:
    'With `--custom`, write the SQL in the new file under `drizzle/` (keep it safe to run on a table that has rows), then `npm run db:migrate`. Without it, the migration is the diff of `src/db/schema/` against the last one: change the schema first.',
  examples: [{ name: 'backfill_ratings', custom: 'true' }],
  normalize: (answers) => ({ name: answers.name ?? '', custom: isTrue(answers.custom ?? 'false') }),
  root: (_options, context) => context.destBasePath,
  preflight: (_options, context) => [serviceProblem(context.destBasePath)].filter((problem) => problem !== undefined),
  render: () => [],
  migration: ({ name, custom }) => ({ name, custom, allowNoChange: false }),
  nextSteps: ({ custom }) => [
    ...(custom ? ['write the SQL in the new file under drizzle/'] : []),
    'npm run db:migrate',
    'npm test',
  ],
});
