import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Finished, run, userEnv } from './process.js';
import { RESOURCES } from './resources.js';
import { expectSuccess, install, plop } from './service.js';

// users is auth's own table in a grown service: the first resource is named otherwise, and nothing else changes.
export const GROWN_RESOURCES = RESOURCES.map(([name, fields]) =>
  name === 'users' ? ['writers', fields] : [name, fields.replace('references(users)', 'references(writers)')],
);

/**
 * The service route.test.ts builds on PostgreSQL, generated for another database and grown
 * with the generators past CRUD (`steps`, after the resources): its own tests are the same
 * HTTP contract, and must pass unchanged. `grow` makes it, in a folder removed by `remove`.
 */
export function grownService(database: 'mysql' | 'sqlite', steps: string[][]) {
  const work = mkdtempSync(join(tmpdir(), `bdk-${database}-`));
  const dir = join(work, 'notes-service');
  /** `npx plop ...` inside the service, with stdin closed, as a developer or an agent runs it. */
  const plopIn = (args: string[]): Promise<Finished> => run('npx', ['plop', ...args], { cwd: dir, env: userEnv() });
  return {
    dir,
    plopIn,
    /** The service generated and installed, then grown; its generation's output and its first install's warnings. */
    async grow(): Promise<{ generation: Finished; installWarnings: string[] }> {
      const generation = await plop(['service', dir, '--', '--db', database, '--git', 'false']);
      expectSuccess(generation, `npx plop service --db ${database}`);
      const installWarnings = await install(dir);
      const all = [...GROWN_RESOURCES.map(([name = '', fields = '']) => ['route', name, fields]), ...steps];
      for (const step of all) expectSuccess(await plopIn(step), `npx plop ${step.join(' ')}`);
      // auth and api-keys added libraries.
      await install(dir);
      return { generation, installWarnings };
    },
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
