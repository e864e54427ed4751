import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, userEnv } from '../support/process.js';
import { expectSuccess, npm, packRoot } from '../support/service.js';

const work = mkdtempSync(join(tmpdir(), 'bdk-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the pack as another project installs it from `npm pack`', () => {
  it('loads with plop.load as plain JavaScript (no TypeScript loader) and generates a service', async () => {
    const packed = await npm(['pack', '--pack-destination', work, '--json'], packRoot);
    expectSuccess(packed, 'npm pack');
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((file) => file.path);
    expect(paths).toContain('dist/plopfile.js');
    expect(paths).toContain('templates/service/gitignore.hbs');
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);

    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({
        name: 'consumer',
        private: true,
        type: 'module',
        devDependencies: { 'backend-dev-kit': `file:${join(work, filename)}`, plop: '4.0.5' },
      }),
    );
    writeFileSync(
      join(consumer, 'plopfile.js'),
      "export default async (plop, config = {}) => plop.load('backend-dev-kit', { force: config.force === true });\n",
    );
    expectSuccess(await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], consumer), 'npm install');

    const generated = await run('npx', ['plop', 'service', 'svc'], { cwd: consumer, env: userEnv() });
    expectSuccess(generated, 'npx plop service svc');
    expect(existsSync(join(consumer, 'svc/src/app.ts'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(consumer, 'svc/package.json'), 'utf8'));
    const version = JSON.parse(readFileSync(join(packRoot, 'package.json'), 'utf8')).version;
    expect(manifest.devDependencies['backend-dev-kit']).toBe(`^${version}`);
    // From the registry, the service needs no copy of the pack of its own.
    expect(existsSync(join(consumer, 'svc/vendor'))).toBe(false);
  }, 180_000);
});
