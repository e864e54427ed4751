// A service generated from a checkout of the pack carries the pack as a tarball, so it can
// be cloned or copied anywhere (CI, a Docker build, a colleague) and `npm ci` still works.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTool } from '../../src/engine/child-process.js';
import { packRoot, vendoredPack } from '../../src/engine/pack.js';

/** Writes the pack's tarball where the service's package.json expects it; returns steps left to the user. */
export async function vendorPack(dir: string): Promise<string[]> {
  if (vendoredPack === undefined) return [];
  const target = join(dir, vendoredPack);
  mkdirSync(dirname(target), { recursive: true });
  // Scripts off: `prepare` would rebuild the pack, which the checkout has done already.
  const packed = await runTool(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', dirname(target)],
    packRoot,
  ).catch((error: Error) => ({ code: 1, output: error.message }));
  return packed.code === 0 && existsSync(target)
    ? []
    : [
        `(cd ${packRoot} && npm pack --pack-destination ${dirname(target)}), which failed here: ${packed.output.trim()}`,
      ];
}
