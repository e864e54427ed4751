// Checks the route and field generators share about a service and its resources.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type FieldSpec, FieldSpecError, parseFields } from './fields.js';

export const schemaFile = (root: string, file: string) => join(root, 'src', 'db', 'schema', `${file}.ts`);

/** The same refusal for every generator that needs a generated service around it. */
export function serviceProblem(root: string): string | undefined {
  return existsSync(join(root, 'src', 'db', 'schema', 'index.ts'))
    ? undefined
    : `${root} is not a backend-dev-kit service (it has no src/db/schema/index.ts); run this inside a service made by \`npx plop service <dir>\``;
}

/** Every `references(...)` field must point at a resource the service has, and not at its own. */
export function referenceProblems(root: string, resource: string, fields: FieldSpec[]): string[] {
  return fields.flatMap((field) => {
    const parent = field.references?.resource;
    if (parent === undefined) return [];
    if (parent.plural.kebab === resource) {
      return [`"${field.token}": a resource cannot reference itself here; add the self-reference by hand`];
    }
    return existsSync(schemaFile(root, parent.plural.kebab))
      ? []
      : [
          `"${field.token}": there is no resource "${parent.plural.camel}" in this service; generate it first (npx plop route ${parent.plural.camel} "...")`,
        ];
  });
}

export function fieldsProblem(value: string): string | undefined {
  try {
    parseFields(value);
    return undefined;
  } catch (error) {
    if (error instanceof FieldSpecError) return error.problems.join('; ');
    throw error;
  }
}
