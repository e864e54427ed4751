import type { NodePlopAPI } from 'plop';
import { type Answers, type Generator, inputProblem, isRequired } from '../engine/generator.js';
import { runGenerator } from '../engine/runner.js';

export interface PlopConfig {
  force?: boolean;
}

/**
 * Registers a generator with plop. Every input is a positional argument and a
 * `--name value` flag; without a terminal nothing is asked (plop would wait forever on
 * an open pipe), and missing inputs are reported by name instead.
 */
export function registerWithPlop(plop: NodePlopAPI, generators: readonly Generator[], config: PlopConfig): void {
  for (const generator of generators) register(plop, generator, config, generators);
}

function register(plop: NodePlopAPI, generator: Generator, config: PlopConfig, catalogue: readonly Generator[]): void {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  plop.setGenerator(generator.name, {
    description: generator.description,
    prompts: generator.inputs.map((input) => ({
      type: 'input',
      name: input.name,
      message: input.message,
      ...(typeof input.default === 'string' ? { default: input.default } : {}),
      // `when: false` (not a function) still lets plop take the answer from the command line.
      ...(interactive ? {} : { when: false }),
      validate: (value: string, answers?: Answers) => {
        const given = value.trim();
        if (given === '') return isRequired(input) ? `${input.name} is required` : true;
        const context = {
          cwd: process.cwd(),
          destBasePath: plop.getDestBasePath(),
          force: config.force === true,
          catalogue,
        };
        const problem = inputProblem(input, given, answers ?? {}, context);
        // Named as the JSON CLI names it: plop prints the message alone.
        return problem === undefined ? true : `${input.name}: ${problem}`;
      },
    })),
    actions: (answers) => [
      async () => {
        const result = await runGenerator(generator, answers ?? {}, {
          cwd: process.cwd(),
          destBasePath: plop.getDestBasePath(),
          force: config.force === true,
          dryRun: false,
          catalogue,
        });
        if (!result.ok) {
          // Conflicts leave the run's files written; say which, as a successful run would.
          const written =
            result.conflicts.length > 0
              ? ['written:', ...[...result.created, ...result.modified].map((path) => `  ~ ${path}`)]
              : [];
          throw new Error([...result.errors, ...written].join('\n'));
        }
        return [
          `${generator.name}: ${result.created.length} created, ${result.modified.length} modified, ${result.deleted.length} deleted, ${result.skipped.length} unchanged in ${result.root}`,
          ...result.created.map((path) => `  + ${path}`),
          ...result.modified.map((path) => `  ~ ${path}`),
          ...result.deleted.map((path) => `  - ${path}`),
          'next:',
          ...result.nextSteps.map((step) => `  ${step}`),
        ].join('\n');
      },
    ],
  });
}
