import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generators } from '../../generators/index.js';
import { main } from '../../src/frontends/cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'bdk-cli-'));
const json = async (args: string[]) => {
  const { code, stdout } = await main(args, cwd, generators);
  expect(stdout.trim().split('\n')).toHaveLength(1);
  return { code, body: JSON.parse(stdout) };
};

describe('npx backend-dev-kit', () => {
  it('lists the generators as JSON', async () => {
    const { code, body } = await json(['list', '--json']);
    expect(code).toBe(0);
    expect(body.generators.map((generator: { name: string }) => generator.name)).toEqual(generators.map((g) => g.name));
  });

  it('answers <generator> --help as describe <generator>', async () => {
    const described = await main(['describe', 'route'], cwd, generators);
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await main(['route', flag], cwd, generators);
      expect(code).toBe(0);
      expect(stdout).toBe(described.stdout);
    }
  });

  it('reads the common flags before the command too', async () => {
    const { code, body } = await json(['--json', 'list']);
    expect(code).toBe(0);
    expect(body.generators).toHaveLength(generators.length);
    const refused = await json(['--json', '--dry-run', 'route', '--name', 'posts']);
    expect(refused.code).toBe(1);
    expect(refused.body).toMatchObject({ generator: 'route', dryRun: true });
    expect(refused.body.errors.join('\n')).toContain('missing required input "fields"');
  });

  it('describes a generator: its inputs as JSON Schema, and examples', async () => {
    const { code, body } = await json(['describe', 'route', '--json']);
    expect(code).toBe(0);
    expect(body.inputs).toMatchObject({ type: 'object', required: ['name', 'fields'], additionalProperties: false });
    expect(Object.keys(body.inputs.properties)).toEqual(['name', 'fields', 'owned', 'access']);
    expect(body.examples.length).toBeGreaterThan(0);
    expect(Object.keys(body.options)).toEqual(['json', 'dry-run', 'force']);
  });

  it.each([
    [['rout', '--json'], 2, 'unknown generator "rout"; generators: service, route'],
    [
      ['route', '--nmae', 'posts', '--json'],
      2,
      'unknown option --nmae for route; options: --name, --fields, --owned, --access, --json, --dry-run, --force',
    ],
    [['describe', 'nothing', '--json'], 2, 'unknown generator "nothing"'],
    [['describe', '--json'], 2, 'describe needs a generator'],
    [['route', '--name', 'posts', '--json'], 1, 'missing required input "fields"'],
    [['route', '--name', 'posts', '--fields', 'title:strng', '--json'], 1, 'unknown type "strng"'],
    [['env', '--name', 'lower', '--description', 'x', '--json'], 1, '"lower" is not UPPER_SNAKE_CASE'],
    [
      ['env', '--name', 'POLL_EVERY', '--description', 'x', '--type', 'duration', '--default', '1000h', '--json'],
      1,
      'must be at most 596h',
    ],
    [['route', '--name', 'posts', '--json', '--fields'], 2, '--fields needs a value'],
    [
      ['service', '--dir', join(cwd, 'oracle'), '--db', 'oracle', '--json'],
      1,
      '"oracle" is not a database this pack generates for: use postgres, mysql or sqlite',
    ],
    [
      ['service', '--dir', join(cwd, 'maria'), '--db', 'mariadb', '--json'],
      1,
      'use mysql: the mysql service runs on MariaDB 10.11 and later too',
    ],
  ])('refuses %j with exit %i and ok: false naming the problem', async (args, code, message) => {
    const result = await json(args);
    expect(result.code).toBe(code);
    expect(result.body.ok).toBe(false);
    expect(result.body.errors.join('\n')).toContain(message);
  });

  it.each(['--help', '-h', 'help'])('prints its usage for %s, and exits 0', async (flag) => {
    const { code, stdout } = await main([flag], cwd, generators);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: backend-dev-kit list/);
    expect(stdout).toContain(`generators: ${generators.map((generator) => generator.name).join(', ')}`);
  });

  it('outside a service, says so instead of writing', async () => {
    const { code, body } = await json(['route', '--name', 'posts', '--fields', 'title:string', '--json']);
    expect(code).toBe(1);
    expect(body.errors[0]).toContain('is not a backend-dev-kit service');
  });
});
