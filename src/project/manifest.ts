import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Placed } from '../engine/templates.js';

/**
 * backend-dev-kit.json, at a service's root, records the field spec of every generated
 * resource: `plop field` needs the spec a resource was generated from to tell the
 * generated lines from the ones a developer wrote.
 */
export const MANIFEST = 'backend-dev-kit.json';

interface Manifest {
  $comment?: string;
  resources: Record<string, string>;
}

export function readManifest(root: string): Manifest {
  const file = join(root, MANIFEST);
  if (!existsSync(file)) return { resources: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
  return { ...parsed, resources: parsed.resources ?? {} };
}

/** The manifest with one resource's spec set, as a file for the plan. */
export function manifestWith(root: string, resource: string, spec: string): Placed {
  const manifest = readManifest(root);
  const resources = Object.fromEntries(
    Object.entries({ ...manifest.resources, [resource]: spec }).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    source: 'manifest',
    action: 'replace',
    path: MANIFEST,
    content: `${JSON.stringify({ ...manifest, resources }, null, 2)}\n`,
  };
}
