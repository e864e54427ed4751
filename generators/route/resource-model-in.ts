import type { ResourceNames } from '../../src/naming/spellings.js';
import { databaseOf, type Manifest, readManifest } from '../../src/project/manifest.js';
import { resourceAccess } from './access.js';
import { type ActionMethod, type ParsedAction, parseAction } from './custom-actions.js';
import type { FieldSpec } from './fields.js';
import { type ParsedIndex, parseIndex } from './indexes.js';
import { buildResourceModel, type ResourceModel } from './resource-model.js';

/** The custom actions the manifest records for a resource, read against its fields. */
export function recordedActions(manifest: Manifest, resource: string, fields: FieldSpec[]): ParsedAction[] {
  return Object.entries(manifest.actions?.[resource] ?? {}).map(([name, spec]) => {
    const parsed = parseAction(name, { ...spec, method: spec.method as ActionMethod }, fields);
    if ('problems' in parsed) {
      throw new Error(
        `the ${name} action of ${resource} in backend-dev-kit.json no longer fits its fields: ${parsed.problems.join('; ')}`,
      );
    }
    return parsed;
  });
}

/** The indexes the manifest records for a resource, read against its fields. */
export function recordedIndexes(manifest: Manifest, resource: string, fields: FieldSpec[]): ParsedIndex[] {
  const owned = manifest.owned?.includes(resource) ?? false;
  return (manifest.indexes?.[resource] ?? []).map((spec) => {
    const parsed = parseIndex(spec, fields, owned);
    if ('problems' in parsed) {
      throw new Error(
        `an index of ${resource} in backend-dev-kit.json no longer fits its fields: ${parsed.problems.join('; ')}`,
      );
    }
    return parsed;
  });
}

/**
 * A resource's model in the service at `root`: its fields, and the access rules, owners and
 * actions the manifest records for it (or `given` access, for a change about to be made).
 */
export function resourceModelIn(
  root: string,
  resource: ResourceNames,
  fields: FieldSpec[],
  given: { spec?: string; owned?: boolean } = {},
  manifest: Manifest = readManifest(root),
): ResourceModel {
  return buildResourceModel(
    resource,
    fields,
    resourceAccess(manifest, resource.plural.camel, given),
    recordedActions(manifest, resource.plural.camel, fields),
    recordedIndexes(manifest, resource.plural.camel, fields),
    databaseOf(manifest),
  );
}
