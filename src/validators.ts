// Checks on single answers. Each returns what is wrong, or undefined when the value is fine.

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export function npmPackageNameProblem(name: string): string | undefined {
  if (name.length > 214) return `"${name}" is longer than 214 characters, the npm limit`;
  if (!NPM_NAME.test(name)) {
    return `"${name}" is not a valid npm package name: use lower-case letters, digits, "-", "." and "_", not starting with "." or "_" (for example my-service or @acme/orders)`;
  }
  return undefined;
}
