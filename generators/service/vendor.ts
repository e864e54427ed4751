// A service generated from a checkout of the pack carries the pack as a tarball, so it can
// be cloned or copied anywhere (CI, a Docker build, a colleague) and `npm ci` still works.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTool } from '../../src/engine/child-process.js';
import { packRoot, vendoredPack } from '../../src/engine/pack.js';

/**
 * A copy of what `npm pack` takes from the checkout, its package.json without scripts or
 * dev dependencies: the service's first `npm install` would otherwise list the pack's
 * `prepare` (which never runs for a tarball) among the install scripts to review.
 */
function stagePack(): string {
  const manifest = JSON.parse(readFileSync(join(packRoot, 'package.json'), 'utf8'));
  const staging = mkdtempSync(join(tmpdir(), 'backend-dev-kit-pack-'));
  for (const entry of [...(manifest.files as string[]), 'README.md']) {
    if (existsSync(join(packRoot, entry))) cpSync(join(packRoot, entry), join(staging, entry), { recursive: true });
  }
  const { scripts: _scripts, devDependencies: _devDependencies, ...published } = manifest;
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  return staging;
}

/** Writes the pack's tarball where the service's package.json expects it; returns steps left to the user. */
export async function vendorPack(dir: string): Promise<string[]> {
  if (vendoredPack === undefined) return [];
  const target = join(dir, vendoredPack);
  mkdirSync(dirname(target), { recursive: true });
  const staging = stagePack();
  const packed = await runTool('npm', ['pack', '--silent', '--pack-destination', dirname(target)], staging)
    .catch((error: Error) => ({ code: 1, output: error.message }))
    .finally(() => rmSync(staging, { recursive: true, force: true }));
  return packed.code === 0 && existsSync(target)
    ? []
    : [
        `(cd ${packRoot} && npm pack --pack-destination ${dirname(target)}), which failed here: ${packed.output.trim()}`,
      ];
}
