// Checks the route and field generators share about a resource's fields and references.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type FieldSpec, FieldSpecError, parseFields } from './fields.js';

export const schemaFile = (root: string, file: string) => join(root, 'src', 'db', 'schema', `${file}.ts`);

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
