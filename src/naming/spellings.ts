// Resource names are given in the plural (`posts`, `categories`); every other form a
// template needs is derived here, once, so two templates can never disagree about a name.

const IRREGULAR_PLURALS: Record<string, string> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  tooth: 'teeth',
  foot: 'feet',
  mouse: 'mice',
  goose: 'geese',
  ox: 'oxen',
  datum: 'data',
  medium: 'media',
  index: 'indices',
  matrix: 'matrices',
  vertex: 'vertices',
  criterion: 'criteria',
  analysis: 'analyses',
  leaf: 'leaves',
  life: 'lives',
  knife: 'knives',
  wife: 'wives',
  quiz: 'quizzes',
  // -ie words whose plural the -y rule would otherwise singularize wrongly (movies -> movy).
  movie: 'movies',
  cookie: 'cookies',
  calorie: 'calories',
  selfie: 'selfies',
  zombie: 'zombies',
  pie: 'pies',
  tie: 'ties',
};

const IRREGULAR_SINGULARS: Record<string, string> = Object.fromEntries(
  Object.entries(IRREGULAR_PLURALS).map(([singular, plural]) => [plural, singular]),
);

// Words whose singular and plural are spelled the same.
const UNCOUNTABLE = new Set([
  'news',
  'series',
  'species',
  'sheep',
  'fish',
  'deer',
  'equipment',
  'information',
  'metadata',
  'feedback',
  'staff',
  'software',
  'media',
]);

/** Splits `blogPosts`, `blog_posts`, `blog-posts` and `BlogPosts` into lower-case words. */
export function words(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

function withLastWord(input: string, change: (word: string) => string): string[] {
  const parts = words(input);
  const last = parts.pop();
  return last === undefined ? parts : [...parts, change(last)];
}

export function pluralizeWord(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular !== undefined) return irregular;
  if (IRREGULAR_SINGULARS[word] !== undefined) return word;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function singularizeWord(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const irregular = IRREGULAR_SINGULARS[word];
  if (irregular !== undefined) return irregular;
  if (IRREGULAR_PLURALS[word] !== undefined) return word;
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh|us)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

export const camelCase = (parts: string[]): string =>
  parts.map((word, i) => (i === 0 ? word : capitalize(word))).join('');
export const pascalCase = (parts: string[]): string => parts.map(capitalize).join('');
export const snakeCase = (parts: string[]): string => parts.join('_');
export const kebabCase = (parts: string[]): string => parts.join('-');
export const constantCase = (parts: string[]): string => parts.join('_').toUpperCase();
const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** Every spelling of one name: `camel`, `pascal`, `snake`, `kebab`, `constant`, `words`. */
export interface Spellings {
  camel: string;
  pascal: string;
  snake: string;
  kebab: string;
  constant: string;
  /** Lower-case words separated by spaces, for prose: `blog post`. */
  words: string;
}

export function spell(input: string): Spellings {
  const parts = words(input);
  return {
    camel: camelCase(parts),
    pascal: pascalCase(parts),
    snake: snakeCase(parts),
    kebab: kebabCase(parts),
    constant: constantCase(parts),
    words: parts.join(' '),
  };
}

/** The names of one resource, from its plural: `blogPosts` -> singular `blogPost`, ... */
export interface ResourceNames {
  plural: Spellings;
  singular: Spellings;
}

export function resourceNames(name: string): ResourceNames {
  const singular = withLastWord(name, singularizeWord);
  return {
    plural: spell(withLastWord(singular.join(' '), pluralizeWord).join(' ')),
    singular: spell(singular.join(' ')),
  };
}
