import { defineGenerator } from '../../src/engine/generator.js';
import { type ResourceNames, resourceNames } from '../../src/naming/spellings.js';
import { type Manifest, readManifest } from '../../src/project/manifest.js';
import { generatedResourceProblem } from '../route/checks.js';
import {
  ACTION_METHODS,
  type ActionMethod,
  type ActionSpec,
  actionNameProblem,
  parseAction,
  SETS_HELP,
  WHEN_HELP,
} from '../route/custom-actions.js';
import { parseFields } from '../route/fields.js';
import { recordedChange } from '../route/merge-resource.js';

interface ActionOptions {
  resource: ResourceNames;
  action: string;
  spec: ActionSpec;
}

const specOf = (answers: Record<string, string>): ActionSpec => ({
  method: (answers.method ?? 'POST').toUpperCase() as ActionMethod,
  ...(answers.body !== undefined ? { body: answers.body } : {}),
  ...(answers.sets !== undefined ? { sets: answers.sets } : {}),
  ...(answers.when !== undefined ? { when: answers.when } : {}),
});

/** The manifest with the action recorded on its resource. */
const withAction = (manifest: Manifest, { resource, action, spec }: ActionOptions): Manifest => ({
  ...manifest,
  actions: {
    ...manifest.actions,
    [resource.plural.camel]: { ...manifest.actions?.[resource.plural.camel], [action]: spec },
  },
});

export const actionGenerator = defineGenerator<ActionOptions>({
  name: 'action',
  description:
    'A custom action on one row of a resource (POST /loans/:id/return): route, body schema, service method, OpenAPI and tests, merged into its files',
  inputs: [
    {
      name: 'name',
      message: 'Resource (plural, as generated)',
      description: 'The existing resource the action acts on, as it was generated (e.g. loans)',
      examples: ['loans'],
    },
    {
      name: 'action',
      message: 'Action (a verb in camelCase)',
      description:
        'The action, a verb: its path is /<plural>/:id/<action in kebab-case> and its service method has its name',
      validate: actionNameProblem,
      examples: ['return', 'publish', 'markPaid'],
    },
    {
      name: 'method',
      message: 'HTTP method',
      description: `The route's method: ${ACTION_METHODS.join(', ')}`,
      default: 'POST',
      validate: (value) =>
        ACTION_METHODS.includes(value.toUpperCase() as ActionMethod)
          ? undefined
          : `"${value}" is not an action's method; use ${ACTION_METHODS.join(', ')}`,
      examples: ['POST'],
    },
    {
      name: 'body',
      message: "Fields the client sends with it (names of the resource's fields; empty: none)",
      description:
        'Fields of the resource a client sends with the action, space separated; readonly ones included (the action is how they are set). Each is required in the body; an optional one may be sent as null',
      optional: true,
      examples: ['trackingCode', 'note'],
    },
    {
      name: 'sets',
      message: 'What it sets (field=value ...; empty: nothing)',
      description: `What the action sets on the row, whatever the client sends. ${SETS_HELP}`,
      optional: true,
      examples: ['returnedAt=now', 'status=shipped shippedAt=now'],
    },
    {
      name: 'when',
      message: 'When it is allowed (conditions; empty: always)',
      description: `The state the row must be in; otherwise the answer is 409 and nothing changes. ${WHEN_HELP}`,
      optional: true,
      examples: ['returnedAt is null', 'status = paid'],
    },
  ],
  handEdits:
    "Rules the conditions cannot say (a member may have at most 3 open loans) go in the action's method in `src/services/<plural>.ts`, before its update, throwing ConflictError (409) or UnprocessableError (422) from ./errors.js, each with a test in `test/<plural>.test.ts` beside the action's own. The action takes the resource's update access rule.",
  examples: [{ name: 'posts', action: 'publish', sets: 'published=true', when: 'published = false' }],
  normalize: (answers) => ({
    resource: resourceNames(answers.name ?? ''),
    action: answers.action ?? '',
    spec: specOf(answers),
  }),
  root: (_options, context) => context.destBasePath,
  preflight(options, context) {
    const root = context.destBasePath;
    const { resource, action, spec } = options;
    const notGenerated = generatedResourceProblem(root, resource, 'write the route by hand');
    if (notGenerated !== undefined) return [notGenerated];
    const manifest = readManifest(root);
    const problems: string[] = [];
    if (manifest.actions?.[resource.plural.camel]?.[action] !== undefined && !context.force) {
      problems.push(`${resource.plural.camel} has a ${action} action already; pass --force to replace it`);
    }
    const parsed = parseAction(action, spec, parseFields(manifest.resources[resource.plural.camel] ?? ''));
    if ('problems' in parsed) problems.push(...parsed.problems);
    return problems;
  },
  render: (options, context) =>
    recordedChange(
      context.destBasePath,
      options.resource,
      (manifest) => withAction(manifest, options),
      `adding the ${options.action} action`,
    ),
  nextSteps: () => ['npm run typecheck', 'npm test'],
});
