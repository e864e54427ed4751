/** A small seeded generator (mulberry32): the same seed gives the same cases on every run. */
export function seeded(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  return { next, int, pick, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof seeded>;

const AWKWARD_STRINGS = [
  '',
  ' ',
  'null',
  '0',
  '-1',
  '1e309',
  'NaN',
  '💥',
  '\u0000',
  "'; drop table x; --",
  '../../etc',
  'a'.repeat(5000),
];

/** Any JSON value, biased towards the shapes that break validators: wrong types, nulls, deep nesting. */
export function randomJson(random: Random, depth = 0): unknown {
  switch (random.int(0, depth > 2 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, -1e308, 42]);
    case 3:
    case 4:
      return random.pick(AWKWARD_STRINGS);
    case 5:
      return random.pick(['2024-13-45', '2024-01-01T00:00:00Z', '00000000-0000-4000-8000-000000000000', 'draft']);
    case 6:
      return Array.from({ length: random.int(0, 3) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(0, 4) }, () => [
          random.pick(['a', 'id', '__proto__', 'constructor', 'title']),
          randomJson(random, depth + 1),
        ]),
      );
  }
}
