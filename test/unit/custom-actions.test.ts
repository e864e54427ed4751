import { describe, expect, it } from 'vitest';
import { parseAction } from '../../generators/route/custom-actions.js';
import { parseFields } from '../../generators/route/fields.js';
import { parseIndex } from '../../generators/route/indexes.js';
import { buildResourceModel } from '../../generators/route/resource-model.js';
import { resourceNames } from '../../src/naming/spellings.js';

const fields = parseFields(
  'book:references(books) member:string status:enum(open,paid):readonly=open returnedAt:datetime?:readonly note:text? secret:text?:private',
);
const problemsOf = (result: object) => ('problems' in result ? (result.problems as string[]).join('\n') : 'accepted');

describe('parseAction', () => {
  it('reads what an action sets, sends and needs', () => {
    const action = parseAction(
      'return',
      { method: 'POST', sets: 'returnedAt=now', when: 'returnedAt is null and status = open' },
      fields,
    );
    expect(problemsOf(action)).toBe('accepted');
    if ('problems' in action) return;
    expect(action.sets).toEqual([{ field: expect.objectContaining({ name: 'returnedAt' }), value: 'new Date()' }]);
    expect(action.when.map((condition) => [condition.field.name, condition.operator, condition.value])).toEqual([
      ['returnedAt', 'is null', undefined],
      ['status', '=', 'open'],
    ]);
  });

  it.each([
    ['list', {}, "one of the resource's own operations"],
    ['Return', {}, 'is not a valid action name'],
    ['pay', {}, 'an action changes its row: give --sets'],
    ['pay', { sets: 'paidAt=now' }, 'the resource has no field "paidAt"'],
    ['pay', { sets: 'status=lost' }, '"lost" must be one of open, paid'],
    ['pay', { sets: 'member=now' }, 'now applies to datetime fields'],
    ['pay', { sets: 'member=null' }, 'member is required, so it cannot be null'],
    ['pay', { body: 'secret' }, 'secret is private'],
    ['pay', { body: 'book' }, 'bookId is a reference; change it with PATCH'],
    ['pay', { sets: 'status=paid', when: 'status is null' }, 'status is required, so it is never null'],
    ['pay', { sets: 'status=paid', when: 'status open' }, 'conditions are "<field> is null"'],
    ['pay', { sets: 'status=paid', when: 'note = null' }, 'compare with null using "is null"'],
  ])('refuses the action %s with %j, naming what is wrong', (name, spec, message) => {
    expect(problemsOf(parseAction(name, { method: 'POST', ...spec }, fields))).toContain(message);
  });

  it('models the update, its 409 and the tests that can reach it', () => {
    const action = parseAction('pay', { method: 'POST', sets: 'status=paid', when: 'status = open' }, fields);
    if ('problems' in action) throw new Error(action.problems.join('; '));
    const [model] = buildResourceModel(resourceNames('loans'), fields, undefined, [action]).actions;
    expect(model).toMatchObject({
      path: '/loans/:id/pay',
      set: "{ status: 'paid' }",
      where: "and(eq(loans.id, id), eq(loans.status, 'open'))",
      conflict: 'Cannot pay this loan: pay needs a loan that has status open.',
      test: { reachable: true, repeatRefused: true, refusedAtFirst: false, expected: "status: 'paid'" },
    });
  });
});

describe('parseIndex', () => {
  it('reads fields, the owner and conditions', () => {
    const index = parseIndex({ on: 'book,owner where returnedAt is null', unique: true }, fields, true);
    expect(problemsOf(index)).toBe('accepted');
    if ('problems' in index) return;
    expect(index.columns).toEqual(['bookId', 'ownerId']);
    expect(index.where).toHaveLength(1);
  });

  it.each([
    [{ on: 'title', unique: false }, false, 'is not a field of the resource'],
    [{ on: 'owner', unique: false }, false, 'is not a field of the resource'],
    [{ on: 'member,member', unique: false }, false, 'names a field twice'],
    [{ on: 'createdAt', unique: true }, false, 'a unique index on it would refuse rows by the clock'],
    [{ on: 'book where returnedAt empty', unique: true }, false, 'conditions are'],
  ])('refuses %j, naming what is wrong', (spec, owned, message) => {
    expect(problemsOf(parseIndex(spec, fields, owned))).toContain(message);
  });
});
