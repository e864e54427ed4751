// The access DSL: who may do each action on a resource, e.g.
//   read:public write:staff
//   list:public get:public create:member update:owner,admin delete:admin
// parsed against the service's roles into one rule per action.

import type { Manifest } from '../../src/project/manifest.js';

export const ACTIONS = ['list', 'get', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

/** Names for several actions at once; an action named on its own overrides its group. */
const GROUPS: Record<string, readonly Action[]> = {
  read: ['list', 'get'],
  write: ['create', 'update', 'delete'],
  all: ACTIONS,
};

/** Words a rule may use besides the service's roles. */
export const ACCESS_WORDS = ['public', 'signed-in', 'owner'] as const;

export type Rule =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  /** Users with one of `roles` may; with `owner`, any other signed-in user may, on their own rows only. */
  | { kind: 'roles'; roles: string[]; owner: boolean };

export type AccessRules = Record<Action, Rule>;

export const ACCESS_HELP = `rules are action:who[,who...], separated by spaces; actions: ${ACTIONS.join(', ')}, or ${Object.entries(
  GROUPS,
)
  .map(([group, actions]) => `${group} (${actions.join(', ')})`)
  .join(
    ', ',
  )}; who: public (anyone, no token needed), signed-in (any signed-in user), owner (the row's owner; --owned resources only) or a role of the service; an action with no rule needs a signed-in user (on an --owned resource: its owner); for example "read:public write:staff" or "create:member update:owner,admin delete:admin"`;

export class AccessSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'AccessSpecError';
  }
}

/** What an action allows when no rule names it: a signed-in user, and on an owned resource only the owner. */
const defaultRule = (action: Action, owned: boolean): Rule =>
  owned && action !== 'create' ? { kind: 'roles', roles: [], owner: true } : { kind: 'signed-in' };

/** Parses a whole rule set; throws AccessSpecError listing every bad token at once. */
export function parseAccess(spec: string, roles: readonly string[], owned: boolean): AccessRules {
  const problems: string[] = [];
  const fromGroups = new Map<Action, Rule>();
  const fromActions = new Map<Action, Rule>();
  const namedTargets = new Set<string>();
  for (const token of spec.trim().split(/\s+/).filter(Boolean)) {
    const [target = '', who = '', ...extra] = token.split(':');
    const actions = (ACTIONS as readonly string[]).includes(target) ? [target as Action] : GROUPS[target];
    if (actions === undefined || extra.length > 0 || who === '') {
      problems.push(
        actions === undefined
          ? `"${token}": "${target}" is not an action; use ${ACTIONS.join(', ')}, ${Object.keys(GROUPS).join(', ')}`
          : `"${token}" is not action:who[,who...]`,
      );
      continue;
    }
    if (namedTargets.has(target)) {
      problems.push(`"${token}": ${target} is given a rule twice`);
      continue;
    }
    namedTargets.add(target);
    const rule = parseWho(token, who.split(','), actions, roles, owned);
    if (typeof rule === 'string') {
      problems.push(rule);
      continue;
    }
    for (const action of actions) (actions.length === 1 ? fromActions : fromGroups).set(action, rule);
  }
  const overlapping = Object.keys(GROUPS).filter((group) => group !== 'all' && namedTargets.has(group));
  if (namedTargets.has('all') && overlapping.length > 0) {
    problems.push(`all and ${overlapping.join(', ')} both name the same actions; name each action once`);
  }
  if (problems.length > 0) throw new AccessSpecError(problems);
  return Object.fromEntries(
    ACTIONS.map((action) => [action, fromActions.get(action) ?? fromGroups.get(action) ?? defaultRule(action, owned)]),
  ) as AccessRules;
}

function parseWho(
  token: string,
  words: string[],
  actions: readonly Action[],
  roles: readonly string[],
  owned: boolean,
): Rule | string {
  const unknown = words.filter((word) => !(ACCESS_WORDS as readonly string[]).includes(word) && !roles.includes(word));
  if (unknown.length > 0) {
    return `"${token}": ${unknown.map((word) => `"${word}"`).join(', ')} is not a role of this service or a rule word; use ${[...ACCESS_WORDS, ...roles].join(', ')}`;
  }
  const repeated = words.filter((word, index) => words.indexOf(word) !== index);
  if (repeated.length > 0) return `"${token}": ${[...new Set(repeated)].join(', ')} named twice`;
  for (const alone of ['public', 'signed-in'] as const) {
    if (words.includes(alone) && words.length > 1)
      return `"${token}": ${alone} lets everyone it names in; give it alone`;
  }
  if (words.includes('public') && owned && actions.includes('create')) {
    return `"${token}": the rows have owners, and an anonymous client would own nothing; give create signed-in or roles`;
  }
  if (words.includes('public')) return { kind: 'public' };
  if (words.includes('signed-in')) return { kind: 'signed-in' };
  const owner = words.includes('owner');
  if (owner && !owned) {
    return `"${token}": owner needs a resource with owners; generate it with --owned`;
  }
  if (owner && actions.includes('create')) {
    return `"${token}": a row has no owner before it is created, so create cannot be owner; give create signed-in or roles (the creator becomes the owner)`;
  }
  return { kind: 'roles', roles: words.filter((word) => word !== 'owner'), owner };
}

/** The `config.access` value a route declares for a rule, as TypeScript. */
export function accessCode(rule: Rule): string {
  if (rule.kind !== 'roles') return `'${rule.kind}'`;
  const roles = `[${rule.roles.map((role) => `'${role}'`).join(', ')}]`;
  return rule.owner ? `{ roles: ${roles}, owner: true }` : `{ roles: ${roles} }`;
}

/**
 * Who a generated test sends a request as, for a rule, as the start of its options (empty:
 * the default test user, with the service's first role). The default user owns every row
 * the tests create, so only a rule that names roles, the first not among them, needs more.
 */
export function sendAs(rule: Rule, roles: readonly string[]): string {
  if (rule.kind !== 'roles' || rule.owner || rule.roles.includes(roles[0] ?? '')) return '';
  return `as: '${rule.roles[0]}', `;
}

/** The service's auth setup and the rules of one resource, as the route templates need them. */
export interface ResourceAccess {
  /** The service's roles; the first is a new user's. */
  roles: string[];
  rules: AccessRules;
  /** Whether the routes declare their rules: one was given, or the rows have owners. */
  declared: boolean;
  owned: boolean;
  /** The rules of another resource of the service (a parent the tests create or delete rows of). */
  rulesOf: (resource: string) => AccessRules;
}

/** What the manifest records about auth, or undefined when auth is not installed. */
export function resourceAccess(
  manifest: Manifest,
  resource: string,
  given: { spec?: string; owned?: boolean } = {},
): ResourceAccess | undefined {
  const roles = manifest.auth?.roles;
  if (roles === undefined) return undefined;
  const specOf = (name: string) => manifest.access?.[name] ?? '';
  const isOwned = (name: string) => manifest.owned?.includes(name) ?? false;
  const spec = given.spec ?? specOf(resource);
  const owned = given.owned ?? isOwned(resource);
  return {
    roles,
    rules: parseAccess(spec, roles, owned),
    declared: spec !== '' || owned,
    owned,
    rulesOf: (name) => parseAccess(specOf(name), roles, isOwned(name)),
  };
}

/** What is wrong with a rule set for a resource of the service at `root`, or undefined. */
export function accessProblem(spec: string, owned: boolean, manifest: Manifest): string | undefined {
  const roles = manifest.auth?.roles;
  if (roles === undefined) return 'access rules need auth in the service: run npx plop auth first';
  try {
    parseAccess(spec, roles, owned);
    return undefined;
  } catch (error) {
    if (error instanceof AccessSpecError) return error.problems.join('; ');
    throw error;
  }
}
