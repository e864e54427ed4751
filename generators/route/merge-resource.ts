import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFiles } from '../../src/engine/format.js';
import { hasConflicts, mergeGenerated } from '../../src/engine/merge.js';
import { PlanError } from '../../src/engine/plan.js';
import { type Placed, renderTemplates } from '../../src/engine/templates.js';
import type { ResourceNames } from '../../src/naming/spellings.js';
import { type Manifest, manifestChanged, readManifest } from '../../src/project/manifest.js';
import { parseFields } from './fields.js';
import type { ResourceModel } from './resource-model.js';
import { resourceModelIn } from './resource-model-in.js';

/**
 * The resource rendered from a model: its own files, formatted as they are written, and the
 * shared ones it needs (skip-if-exists, such as a src/schemas/values/ building block).
 */
export async function generatedFiles(
  root: string,
  model: ResourceModel,
): Promise<{ own: Map<string, string>; shared: Placed[] }> {
  const files = renderTemplates('route', { ...model });
  const own = files.filter((file) => file.action === 'create');
  return {
    own: await formatFiles(new Map(own.map((file) => [file.path, file.content])), root),
    shared: files.filter((file) => file.action === 'skip-if-exists'),
  };
}

/**
 * A resource's files changed from what `before` generates to what `after` does, keeping the
 * developer's edits (a three-way merge). Where an edit and the change touch the same lines,
 * the file gets git's conflict markers there, for the developer to resolve (the run then
 * reports it and exits non-zero). `change` says what is being done, for the messages; a
 * file that is gone is refused, or written anew when the resource is generated again.
 */
export async function mergedResource(
  root: string,
  before: ResourceModel,
  after: ResourceModel,
  change: string,
  whenGone: 'refuse' | 'write it anew' = 'refuse',
): Promise<Placed[]> {
  const [old, next] = await Promise.all([generatedFiles(root, before), generatedFiles(root, after)]);
  const gone =
    whenGone === 'refuse'
      ? (path: string) => `${path} is gone; restore it (or generate the resource again with --force) before ${change}`
      : whenGone;
  // A change may need a shared file (a src/schemas/values/ building block) the resource did not.
  return [...(await mergedFiles(root, old.own, next.own, change, gone)), ...next.shared];
}

/**
 * Generated files changed from `old` (what was generated before) to `next`, keeping the
 * developer's edits (a three-way merge). A file `old` did not have is created; one that had
 * it and is gone is a problem `gone` words. Where an edit and the change touch the same
 * lines, the file gets git's conflict markers, for the developer to resolve (the run then
 * reports it and exits non-zero). `change` says what is being done, for the messages.
 */
export async function mergedFiles(
  root: string,
  old: ReadonlyMap<string, string>,
  next: ReadonlyMap<string, string>,
  change: string,
  gone: ((path: string) => string) | 'write it anew',
): Promise<Placed[]> {
  const problems: string[] = [];
  const placed: Placed[] = [];
  for (const [path, theirs] of next) {
    const file = join(root, path);
    const before = old.get(path);
    if (!existsSync(file)) {
      if (before === undefined || gone === 'write it anew') {
        placed.push({ source: 'merge', action: 'create', path, content: theirs });
      } else {
        problems.push(gone(path));
      }
      continue;
    }
    if (before === undefined) {
      problems.push(`${path} exists already, and ${change} writes it; move it away first`);
      continue;
    }
    const current = readFileSync(file, 'utf8');
    if (hasConflicts(current)) {
      problems.push(`${path} still has conflict markers from an earlier run; resolve them before ${change}`);
      continue;
    }
    const merged = await mergeGenerated(before, current, theirs);
    if (merged.ok === false) problems.push(`${path}: ${merged.reason}; nothing was written`);
    else if (merged.content !== current)
      placed.push({ source: 'merge', action: 'replace', path, content: merged.content });
  }
  if (problems.length > 0) throw new PlanError(problems);
  return placed;
}

/**
 * A resource generated again (`route --force`) over the files it was generated into: each
 * of its own files merged from what the manifest's recorded spec generates to what `model`
 * does, so hand edits stay (where they meet the change, conflict markers), as `field` keeps
 * them; a file that is gone is written anew. Lines it adds to other files come as `rendered`
 * has them.
 */
export async function regeneratedResource(
  root: string,
  resource: ResourceNames,
  recorded: string,
  model: ResourceModel,
  rendered: Placed[],
): Promise<Placed[]> {
  const before = resourceModelIn(root, resource, parseFields(recorded));
  const merged = await mergedResource(root, before, model, 'generating it again', 'write it anew');
  // Its own files (create) and shared ones (skip-if-exists) are in `merged`, as generatedFiles
  // splits them, and go first: the plan adds the other templates' lines to the files they make.
  return [...merged, ...rendered.filter((file) => file.action !== 'create' && file.action !== 'skip-if-exists')];
}

/**
 * A change recorded in the manifest (a field, an action, an index): the resource's files
 * merged from what the manifest generates now to what it generates once `change` is made,
 * and the changed manifest written. `what` says what is being done, for the messages.
 */
export async function recordedChange(
  root: string,
  resource: ResourceNames,
  change: (manifest: Manifest) => Manifest,
  what: string,
): Promise<Placed[]> {
  const before = readManifest(root);
  const after = change(before);
  const modelIn = (manifest: Manifest) =>
    resourceModelIn(root, resource, parseFields(manifest.resources[resource.plural.camel] ?? ''), {}, manifest);
  return [...(await mergedResource(root, modelIn(before), modelIn(after), what)), manifestChanged(root, () => after)];
}
