// `npm run build` runs this after tsc: each generator's templates compiled to JavaScript
// once, here, instead of on every run of the generator.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packRoot } from '../engine/pack.js';
import { precompiledPath, precompileTemplates } from '../engine/templates.js';

const generators = readdirSync(join(packRoot, 'templates'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
for (const generator of generators) {
  const path = precompiledPath(generator);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, precompileTemplates(generator));
}
