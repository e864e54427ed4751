import { defineGenerator } from '../../src/engine/generator.js';
import { type ResourceNames, resourceNames } from '../../src/naming/spellings.js';
import { manifestChanged, readManifest, withEntry } from '../../src/project/manifest.js';
import { ACCESS_HELP, accessProblem } from '../route/access.js';
import { generatedResourceProblem } from '../route/checks.js';
import { parseFields } from '../route/fields.js';
import { mergedResource } from '../route/merge-resource.js';
import { resourceModelIn } from '../route/resource-model-in.js';

/** `default` stands for no rule at all: what a resource generated without --access has. */
const asSpec = (rules: string): string => (rules.trim() === 'default' ? '' : rules);

interface AccessOptions {
  resource: ResourceNames;
  /** The new rules; empty: back to the default (a signed-in user, or the owner). */
  rules: string;
}

export const accessGenerator = defineGenerator<AccessOptions>({
  name: 'access',
  description:
    "Changes who may do what to an existing resource: its routes' access rules and their tests, keeping hand edits",
  inputs: [
    {
      name: 'name',
      message: 'Resource (plural, as generated)',
      description: 'The existing resource whose rules change, as it was generated (e.g. books)',
      examples: ['books'],
    },
    {
      name: 'rules',
      message: 'Access rules (action:who, space separated)',
      description: `The resource's new rules, in place of its old ones (actions left out get the default). ${ACCESS_HELP}. Give "default" to go back to the default rule`,
      validate: (value, answers, context) => {
        const manifest = readManifest(context.destBasePath);
        const resource = resourceNames(answers.name ?? '').plural.camel;
        return accessProblem(asSpec(value), manifest.owned?.includes(resource) ?? false, manifest);
      },
      examples: ['read:public write:admin', 'list:public get:public create:member update:owner,admin delete:admin'],
    },
  ],
  handEdits:
    'Then check the business rules in `src/services/<plural>.ts` still hold for the users the new rules let in; the generated tests check who gets 401, 403 and 404.',
  examples: [{ name: 'posts', rules: 'read:public write:admin' }],
  normalize: (answers) => ({ resource: resourceNames(answers.name ?? ''), rules: asSpec(answers.rules ?? '') }),
  root: (_options, context) => context.destBasePath,
  preflight({ resource }, context) {
    const root = context.destBasePath;
    // Without auth the rules were refused already, by the rules input's own check.
    const notGenerated = generatedResourceProblem(root, resource, 'change its config.access by hand');
    return notGenerated === undefined ? [] : [notGenerated];
  },
  async render({ resource, rules }, context) {
    const root = context.destBasePath;
    const before = readManifest(root);
    const after = {
      ...before,
      access: withEntry(before.access, resource.plural.camel, rules === '' ? undefined : rules),
    };
    // The resource itself, and each that references it: their tests delete its rows as
    // someone its rule lets do that.
    const affected = Object.entries(before.resources).filter(
      ([name, spec]) =>
        name === resource.plural.camel ||
        parseFields(spec).some((field) => field.references?.resource.plural.camel === resource.plural.camel),
    );
    const merged = await Promise.all(
      affected.map(([name, spec]) => {
        const names = resourceNames(name);
        const fields = parseFields(spec);
        return mergedResource(
          root,
          resourceModelIn(root, names, fields, {}, before),
          resourceModelIn(root, names, fields, {}, after),
          `changing the access of ${resource.plural.camel}`,
        );
      }),
    );
    return [...merged.flat(), manifestChanged(root, () => after)];
  },
  nextSteps: () => ['npm run typecheck', 'npm test'],
});
