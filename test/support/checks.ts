import { expect, it } from 'vitest';
import { expectSuccess, npm } from './service.js';

/**
 * The service's own checks, one test each, in the order a developer runs them (with `env`);
 * a warning anywhere in their output fails the test too.
 */
export function itPassesItsOwnChecks(service: () => string, env: () => Record<string, string> = () => ({})): void {
  it.each([
    ['typecheck', ['run', 'typecheck']],
    ['lint', ['run', 'lint']],
    ['test', ['test']],
  ])('npm %s passes with zero warnings', async (what, args) => {
    const result = await npm(args, service(), env());
    expectSuccess(result, `npm ${what}`);
    // vitest names a passed test that ran slowly by its title, which may say "warning".
    const said = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .filter((line) => !/^\s*✓ /.test(line))
      .join('\n');
    expect(said).not.toMatch(/\bwarn(ing)?\b/i);
  });
}
