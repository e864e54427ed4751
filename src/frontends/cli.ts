// `npx backend-dev-kit`: the generators for programs and AI agents. It never prompts and
// never reads stdin; with --json it prints exactly one JSON object on stdout, and its
// exit code tells the truth: 0 done, 1 refused or failed, 2 not understood.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Generator } from '../engine/generator.js';
import { type RunResult, runGenerator } from '../engine/runner.js';
import { COMMON_OPTIONS, describeGenerator } from './describe.js';
import { report } from './report.js';

const OPTIONS = Object.keys(COMMON_OPTIONS);
const LEADING_FLAGS = new Set(OPTIONS.map((name) => `--${name}`));

class UsageError extends Error {}

interface Parsed {
  json: boolean;
  dryRun: boolean;
  force: boolean;
  positional: string[];
  named: Record<string, string>;
}

function parseArguments(args: string[], generator: Generator | undefined): Parsed {
  const parsed: Parsed = { json: false, dryRun: false, force: false, positional: [], named: {} };
  const inputs = new Map(generator?.inputs.map((input) => [input.name, input]) ?? []);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      parsed.positional.push(arg);
      continue;
    }
    const [flag = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flag === 'json') parsed.json = true;
    else if (flag === 'dry-run') parsed.dryRun = true;
    else if (flag === 'force') parsed.force = true;
    else {
      const input = inputs.get(flag);
      if (input === undefined) {
        const known = [...inputs.keys(), ...OPTIONS].map((name) => `--${name}`).join(', ');
        throw new UsageError(`unknown option --${flag}${generator ? ` for ${generator.name}` : ''}; options: ${known}`);
      }
      if (inline !== undefined) parsed.named[flag] = inline;
      else if (input.flag === true && (args[i + 1] === undefined || args[i + 1]?.startsWith('--')))
        parsed.named[flag] = 'true';
      else {
        const value = args[i + 1];
        if (value === undefined) throw new UsageError(`--${flag} needs a value: ${input.description}`);
        parsed.named[flag] = value;
        i += 1;
      }
    }
  }
  return parsed;
}

/** The project the command works in: the nearest folder above the current one with a package.json. */
export function projectRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

function humanReport(result: RunResult): string {
  const lines = [
    `${result.ok ? 'ok' : 'failed'}: ${result.generator}${result.dryRun ? ' (dry run: nothing written)' : ''} in ${result.root}`,
    ...result.created.map((path) => `  + ${path}`),
    ...result.modified.map((path) => `  ~ ${path}`),
    ...result.deleted.map((path) => `  - ${path}`),
    ...result.errors.map((error) => `  error: ${error}`),
    ...(result.nextSteps.length > 0 ? ['next:', ...result.nextSteps.map((step) => `  ${step}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** What `describe <generator>` and `<generator> --help` print: its inputs, options and examples. */
function described(generator: Generator, json: boolean): { code: number; stdout: string } {
  const description = describeGenerator(generator);
  return {
    code: 0,
    stdout: json ? `${JSON.stringify({ ok: true, ...description })}\n` : `${JSON.stringify(description, null, 2)}\n`,
  };
}

const usage = (generators: readonly Generator[]) => `usage: backend-dev-kit list [--json]
       backend-dev-kit describe <generator> [--json]   (or: backend-dev-kit <generator> --help)
       backend-dev-kit mcp                  (an MCP server on stdio with the same operations)
       backend-dev-kit <generator> [inputs...] [--<input> <value>...] [--json] [--dry-run] [--force]
generators: ${generators.map((generator) => generator.name).join(', ')}`;

/** Runs one command line against `generators` (the entry point passes the pack's). */
export async function main(
  args: string[],
  cwd: string,
  generators: readonly Generator[],
): Promise<{ code: number; stdout: string }> {
  // The flags every command takes may also come before it (`backend-dev-kit --json list`).
  const at = args.findIndex((arg) => !LEADING_FLAGS.has(arg));
  const command = at === -1 ? '' : (args[at] ?? '');
  const rest = at === -1 ? args : [...args.slice(0, at), ...args.slice(at + 1)];
  const wantsJson = args.includes('--json');
  const fail = (code: number, message: string, generator = command) => ({
    code,
    stdout: wantsJson
      ? `${JSON.stringify({ ok: false, generator, errors: [message] })}\n`
      : `error: ${message}\n${code === 2 ? `${usage(generators)}\n` : ''}`,
  });
  try {
    // Asked for, the usage is an answer (exit 0); an unknown command still fails with it.
    if (command === '--help' || command === '-h' || command === 'help')
      return { code: 0, stdout: `${usage(generators)}\n` };
    if (command === 'list') {
      parseArguments(rest, undefined);
      const list = generators.map(({ name, description }) => ({ name, description }));
      return {
        code: 0,
        stdout: wantsJson
          ? `${JSON.stringify({ ok: true, generators: list })}\n`
          : `${list.map((item) => `${item.name.padEnd(10)} ${item.description}`).join('\n')}\n`,
      };
    }
    if (command === 'describe') {
      const [name] = parseArguments(rest, undefined).positional;
      const generator = generators.find((candidate) => candidate.name === name);
      if (generator === undefined) {
        const known = generators.map((item) => item.name).join(', ');
        throw new UsageError(
          name === undefined
            ? `describe needs a generator: one of ${known}`
            : `unknown generator "${name}"; the generators are: ${known}`,
        );
      }
      return described(generator, wantsJson);
    }
    const generator = generators.find((candidate) => candidate.name === command);
    if (generator === undefined) {
      throw new UsageError(
        command === ''
          ? 'no command given'
          : `unknown generator "${command}"; generators: ${generators.map((item) => item.name).join(', ')}`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) return described(generator, wantsJson);
    const parsed = parseArguments(rest, generator);
    if (parsed.positional.length > generator.inputs.length) {
      throw new UsageError(
        `${generator.name} takes at most ${generator.inputs.length} positional inputs (${generator.inputs.map((input) => input.name).join(', ')})`,
      );
    }
    const answers: Record<string, string> = {};
    generator.inputs.forEach((input, i) => {
      const value = parsed.named[input.name] ?? parsed.positional[i];
      if (value !== undefined) answers[input.name] = value;
    });
    const result = await runGenerator(generator, answers, {
      cwd,
      destBasePath: projectRoot(cwd),
      force: parsed.force,
      dryRun: parsed.dryRun,
      catalogue: generators,
    });
    return {
      code: result.ok ? 0 : 1,
      stdout: parsed.json ? `${JSON.stringify(report(result))}\n` : humanReport(result),
    };
  } catch (error) {
    if (error instanceof UsageError) return fail(2, error.message);
    return fail(1, error instanceof Error ? error.message : String(error));
  }
}
