import type { Answers, Generator } from '../engine/generator.js';

const PLAIN = /^[A-Za-z0-9_./:@=,+-]+$/;

/** A value as a POSIX shell word. */
export function shellWord(value: string): string {
  return PLAIN.test(value) ? value : `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

function flags(generator: Generator, answers: Answers): string[] {
  return generator.inputs.flatMap((input) => {
    const value = answers[input.name];
    if (value === undefined) return [];
    if (input.flag === true) return value === 'true' ? [`--${input.name}`] : [];
    return [`--${input.name}`, shellWord(value)];
  });
}

/** The agent-facing command: never prompts, prints one JSON object. */
export const cliCommand = (generator: Generator, answers: Answers): string =>
  ['npx backend-dev-kit', generator.name, ...flags(generator, answers), '--json'].join(' ');
