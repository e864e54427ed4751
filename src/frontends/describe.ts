import { type Generator, isRequired } from '../engine/generator.js';

/** A generator's inputs as JSON Schema (draft 2020-12), for programs and agents. */
export function inputSchema(generator: Generator): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: Object.fromEntries(
      generator.inputs.map((input) => [
        input.name,
        {
          type: input.flag === true ? 'boolean' : 'string',
          description: input.description,
          ...(typeof input.default === 'string'
            ? { default: input.flag === true ? input.default === 'true' : input.default }
            : {}),
          examples: input.flag === true ? input.examples.map((example) => example === 'true') : input.examples,
        },
      ]),
    ),
    required: generator.inputs.filter(isRequired).map((input) => input.name),
    additionalProperties: false,
  };
}

export const COMMON_OPTIONS = {
  json: 'print one JSON object on stdout (ok, generator, inputs, root, created, modified, deleted, skipped, conflicts, errors, nextSteps); ok is false and the exit 1 when a run left conflict markers in the files listed in conflicts',
  'dry-run':
    'write nothing; report what would be created, modified and deleted, with a diff of each modified or deleted file',
  force: 'overwrite files the generator would otherwise refuse to replace',
} as const;

export function describeGenerator(generator: Generator) {
  return {
    name: generator.name,
    description: generator.description,
    inputs: inputSchema(generator),
    positional: generator.inputs.map((input) => input.name),
    options: COMMON_OPTIONS,
    examples: generator.examples,
  };
}
