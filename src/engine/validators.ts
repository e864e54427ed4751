// Checks on single answers. Each returns what is wrong, or undefined when the value is fine.

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export function npmPackageNameProblem(name: string): string | undefined {
  if (name.length > 214) return `"${name}" is longer than 214 characters, the npm limit`;
  if (!NPM_NAME.test(name)) {
    return `"${name}" is not a valid npm package name: use lower-case letters, digits, "-", "." and "_", not starting with "." or "_" (for example my-service or @acme/orders)`;
  }
  return undefined;
}

const TRUE = ['true', 'yes', 'y', '1'];
const FALSE = ['false', 'no', 'n', '0'];

/** Yes/no answers arrive as text from prompts, flags and JSON alike. */
export const isTrue = (value: string): boolean => TRUE.includes(value.trim().toLowerCase());

export function flagProblem(value: string): string | undefined {
  const word = value.trim().toLowerCase();
  return TRUE.includes(word) || FALSE.includes(word) ? undefined : `"${value}" is not true or false`;
}
