import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACK_NAME = 'backend-dev-kit';

// The same modules run from src/ (through tsx) and from dist/src/ (compiled, when another
// project loads the pack), so the pack's root is found by walking up, not by a fixed "../".
function findPackRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === PACK_NAME) return dir;
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACK_NAME}: cannot find the pack's package.json above ${import.meta.url}`);
    dir = parent;
  }
}

export const packRoot: string = findPackRoot();

export const packVersion: string = (
  JSON.parse(readFileSync(join(packRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export const templatesDir = (generator: string): string => join(packRoot, 'templates', generator);

const installed = packRoot.split(/[\\/]/).includes('node_modules');

/**
 * The tarball of the pack a service generated from a checkout keeps in its vendor/ folder:
 * depending on the checkout's path would tie the service to this machine. Undefined when
 * the pack came from the registry.
 */
export const vendoredPack: string | undefined = installed ? undefined : `vendor/${PACK_NAME}-${packVersion}.tgz`;

/** How a generated service depends on the pack: the registry version, or its vendored tarball. */
export const packDependency: string = vendoredPack === undefined ? `^${packVersion}` : `file:${vendoredPack}`;
