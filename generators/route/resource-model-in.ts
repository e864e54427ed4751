import type { ResourceNames } from '../../src/naming/spellings.js';
import { type Manifest, readManifest } from '../../src/project/manifest.js';
import { resourceAccess } from './access.js';
import type { FieldSpec } from './fields.js';
import { buildResourceModel, type ResourceModel } from './resource-model.js';

/**
 * A resource's model in the service at `root`: its fields, and the access rules and owners
 * the manifest records for it (or `given` ones, for a change about to be made).
 */
export function resourceModelIn(
  root: string,
  resource: ResourceNames,
  fields: FieldSpec[],
  given: { spec?: string; owned?: boolean } = {},
  manifest: Manifest = readManifest(root),
): ResourceModel {
  return buildResourceModel(resource, fields, resourceAccess(manifest, resource.plural.camel, given));
}
