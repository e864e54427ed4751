import type { MigrationRequest } from './migrations.js';
import type { Placed } from './templates.js';
import { flagProblem } from './validators.js';

/** Answers as they arrive from a prompt, a command-line flag or JSON: text. */
export type Answers = Record<string, string>;

/** Where a run happens and how forcefully. */
export interface RunContext {
  /** The directory the command was started in. */
  cwd: string;
  /** The project the generator writes into: the plopfile's folder, or `--dest`. */
  destBasePath: string;
  force: boolean;
  /** Every generator of the pack: the agent instructions a generator writes describe them all. */
  catalogue: readonly Generator[];
}

/**
 * One input of a generator. The same definition drives the interactive prompt, the
 * command-line flag, the agent CLI's JSON Schema and the checks made before writing.
 */
export interface Input {
  name: string;
  /** The question a terminal user is asked. */
  message: string;
  /** What the input means, for `describe` and the agent definition. */
  description: string;
  /** May be left out altogether (no default either): the answer is then absent. */
  optional?: boolean;
  /** A yes/no input: on the command line a bare `--name` means true; it takes true/false, yes/no, 1/0. */
  flag?: boolean;
  /** A value used when the input is not given; a function may derive it from earlier answers. */
  default?: string | ((answers: Answers, context: RunContext) => string);
  /** Returns what is wrong with the value, or undefined when it is acceptable. */
  validate?: (value: string, answers: Answers, context: RunContext) => string | undefined;
  examples: string[];
}

/** What every generator says about itself: the front ends and the agent file read only this. */
interface About {
  name: string;
  description: string;
  /** Inputs in positional order: `plop <name> <first> <second> ...`. */
  inputs: Input[];
  /** What a person (or agent) still does by hand after a run, for the agent instructions. */
  handEdits: string;
  /** Answer sets that work, in an order that works in a fresh service; commands are made from them. */
  examples: Answers[];
}

/**
 * A generator as its module writes it. `normalize` turns the checked answers (text) into
 * the typed options every later step reads, once, so no step parses an answer again.
 */
export interface GeneratorDefinition<Options> extends About {
  normalize(answers: Answers, context: RunContext): Options;
  /** The absolute directory that template target paths are relative to. */
  root(options: Options, context: RunContext): string;
  /** Problems found by looking at the target before anything is rendered. */
  preflight?(options: Options, context: RunContext): string[];
  /** The generator's templates rendered with these options. */
  render(options: Options, context: RunContext): Placed[] | Promise<Placed[]>;
  /** The migration drizzle-kit writes for the planned schema; if it fails, nothing is written. */
  migration?(options: Options, context: RunContext): MigrationRequest;
  /**
   * Work outside the planned files, once they are written (never on a dry run); returns
   * steps it could not take, for the user to run first.
   */
  afterApply?(options: Options, context: RunContext): Promise<string[]>;
  /** What the user runs next, in order. */
  nextSteps(options: Options, context: RunContext): string[];
}

/** One run of a generator, its options bound: what the runner carries out. */
export interface PreparedRun {
  root: string;
  preflight(): string[];
  render(): Placed[] | Promise<Placed[]>;
  migration: MigrationRequest | undefined;
  afterApply(): Promise<string[]>;
  nextSteps(): string[];
}

/** A generator as the engine and the front ends hold it: its options type stays its own. */
export interface Generator extends About {
  prepare(answers: Answers, context: RunContext): PreparedRun;
}

export function defineGenerator<Options>(definition: GeneratorDefinition<Options>): Generator {
  const { normalize, root, preflight, render, migration, afterApply, nextSteps, ...about } = definition;
  return {
    ...about,
    prepare(answers, context) {
      const options = normalize(answers, context);
      return {
        root: root(options, context),
        preflight: () => preflight?.(options, context) ?? [],
        render: () => render(options, context),
        migration: migration?.(options, context),
        afterApply: async () => (await afterApply?.(options, context)) ?? [],
        nextSteps: () => nextSteps(options, context),
      };
    },
  };
}

/** Neither defaulted nor optional: a run without it is refused. */
export const isRequired = (input: Input): boolean => input.default === undefined && input.optional !== true;

/** What is wrong with one given answer, or undefined: prompts, flags and JSON all go through here. */
export function inputProblem(input: Input, value: string, answers: Answers, context: RunContext): string | undefined {
  return input.flag === true ? flagProblem(value) : input.validate?.(value, answers, context);
}

/**
 * Applies defaults and validation to raw answers. Every missing or invalid input is
 * reported, by name, in one go.
 */
export function resolveAnswers(
  generator: Generator,
  raw: Record<string, unknown>,
  context: RunContext,
): { answers: Answers; problems: string[] } {
  const answers: Answers = {};
  const problems: string[] = [];
  const known = new Set(generator.inputs.map((input) => input.name));
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && raw[key] !== undefined) {
      problems.push(`unknown input "${key}" for ${generator.name}; its inputs are: ${[...known].join(', ')}`);
    }
  }
  for (const input of generator.inputs) {
    const given = raw[input.name];
    const value =
      typeof given === 'string' && given.trim() !== ''
        ? given.trim()
        : typeof input.default === 'function'
          ? input.default(answers, context)
          : input.default;
    if (value === undefined && input.optional === true) continue;
    if (value === undefined) {
      problems.push(`missing required input "${input.name}": ${input.description}`);
      continue;
    }
    const problem = inputProblem(input, value, answers, context);
    if (problem !== undefined) {
      problems.push(`${input.name}: ${problem}`);
      continue;
    }
    answers[input.name] = value;
  }
  return { answers, problems };
}
