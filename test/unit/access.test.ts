import { describe, expect, it } from 'vitest';
import { AccessSpecError, accessCode, parseAccess, sendAs } from '../../generators/route/access.js';

const ROLES = ['member', 'staff', 'admin'];

const problemsOf = (spec: string, owned = false): string[] => {
  try {
    parseAccess(spec, ROLES, owned);
  } catch (error) {
    if (error instanceof AccessSpecError) return error.problems;
    throw error;
  }
  throw new Error(`"${spec}" was accepted`);
};

describe('parseAccess', () => {
  it('gives every action a signed-in user when no rule names it', () => {
    const rules = parseAccess('', ROLES, false);
    expect(Object.values(rules)).toEqual(Array(5).fill({ kind: 'signed-in' }));
  });

  it('lets an action named on its own override its group, in any order', () => {
    const rules = parseAccess('delete:admin read:public write:staff,admin', ROLES, false);
    expect(rules.list).toEqual({ kind: 'public' });
    expect(rules.get).toEqual({ kind: 'public' });
    expect(rules.create).toEqual({ kind: 'roles', roles: ['staff', 'admin'], owner: false });
    expect(rules.delete).toEqual({ kind: 'roles', roles: ['admin'], owner: false });
  });

  it('limits an owned resource to the owner unless a rule says otherwise; create stays with any signed-in user', () => {
    const rules = parseAccess('get:owner,staff', ROLES, true);
    expect(rules.create).toEqual({ kind: 'signed-in' });
    expect(rules.list).toEqual({ kind: 'roles', roles: [], owner: true });
    expect(rules.get).toEqual({ kind: 'roles', roles: ['staff'], owner: true });
  });

  it.each([
    [
      'read:librarian',
      '"librarian" is not a role of this service or a rule word; use public, signed-in, owner, member, staff, admin',
    ],
    ['borrow:member', '"borrow" is not an action; use list, get, create, update, delete, read, write, all'],
    ['read', '"read" is not action:who'],
    ['read:public,staff', 'public lets everyone it names in; give it alone'],
    ['read:public read:staff', 'read is given a rule twice'],
    ['write:staff,staff', 'staff named twice'],
    ['all:staff write:admin', 'all and write both name the same actions'],
    ['get:owner', 'owner needs a resource with owners; generate it with --owned'],
  ])('refuses %s by name', (spec, problem) => {
    expect(problemsOf(spec).join('\n')).toContain(problem);
  });

  it.each([
    ['create:owner', 'a row has no owner before it is created'],
    ['write:public', 'an anonymous client would own nothing'],
  ])('refuses %s on an owned resource', (spec, problem) => {
    expect(problemsOf(spec, true).join('\n')).toContain(problem);
  });

  it('reports every bad token at once', () => {
    expect(problemsOf('read:nobody write:nobody2')).toHaveLength(2);
  });
});

describe('what a rule generates', () => {
  it('declares it in config.access', () => {
    expect(accessCode({ kind: 'public' })).toBe("'public'");
    expect(accessCode({ kind: 'roles', roles: ['staff', 'admin'], owner: false })).toBe(
      "{ roles: ['staff', 'admin'] }",
    );
    expect(accessCode({ kind: 'roles', roles: [], owner: true })).toBe('{ roles: [], owner: true }');
  });

  it('sends test requests as the first role the rule lets in, unless the default user (first role or owner) may', () => {
    expect(sendAs({ kind: 'roles', roles: ['staff', 'admin'], owner: false }, ROLES)).toBe("as: 'staff', ");
    expect(sendAs({ kind: 'roles', roles: ['member'], owner: false }, ROLES)).toBe('');
    expect(sendAs({ kind: 'roles', roles: ['admin'], owner: true }, ROLES)).toBe('');
    expect(sendAs({ kind: 'public' }, ROLES)).toBe('');
  });
});
