import { existsSync } from 'node:fs';
import { applyChanges, finishStoppedRun, pendingStoppedRun } from './apply.js';
import { formatChanges } from './format.js';
import { type Answers, type Generator, type RunContext, resolveAnswers } from './generator.js';
import { hasConflicts } from './merge.js';
import { drizzleKitMissing, drizzleKitPath, previewMigration, SCHEMA_DIR } from './migrations.js';
import { type Change, PlanError, planChanges, writesContent } from './plan.js';
import { lockProject } from './project-lock.js';

export interface RunOptions extends RunContext {
  /** Plan and report, write nothing. */
  dryRun: boolean;
}

/** The outcome of one generator run, as the agent CLI prints it. */
export interface RunResult {
  ok: boolean;
  generator: string;
  /** The answers after defaults, exactly as the templates saw them. */
  inputs: Answers;
  /** The directory the listed paths are relative to. */
  root: string;
  created: string[];
  modified: string[];
  deleted: string[];
  skipped: string[];
  /**
   * Files written with conflict markers where a hand edit and the generated change touch the
   * same lines; the run is then not ok, and the errors say how to finish it.
   */
  conflicts: string[];
  errors: string[];
  nextSteps: string[];
  dryRun: boolean;
  /** Every planned change with its content, for dry-run diffs. */
  changes: Change[];
}

/**
 * Validates the answers, renders and plans every file (and the migration), and writes
 * only when all of it succeeded: a refused run leaves the tree exactly as it was. A run
 * that writes holds the project from its first read to its last write, and first completes
 * (or undoes) the writes of a run that was stopped halfway.
 */
export async function runGenerator(
  generator: Generator,
  raw: Record<string, unknown>,
  options: RunOptions,
): Promise<RunResult> {
  if (options.dryRun) {
    const result = await plannedRun(generator, raw, options);
    const pending = pendingStoppedRun(options.destBasePath);
    if (pending !== undefined) result.nextSteps.unshift(pending);
    return result;
  }
  const refused = (problem: string): RunResult => ({
    ...emptyResult(generator, options, {}),
    errors: [problem],
  });
  let unlock: () => void;
  try {
    unlock = await lockProject(options.destBasePath);
  } catch (error) {
    return refused((error as Error).message);
  }
  try {
    let stopped: string | undefined;
    try {
      stopped = finishStoppedRun(options.destBasePath);
    } catch (error) {
      return refused(
        `an earlier run was stopped while it wrote, and its writes could not be completed: ${(error as Error).message}`,
      );
    }
    const result = await plannedRun(generator, raw, options);
    if (stopped !== undefined) result.nextSteps.unshift(stopped);
    return result;
  } finally {
    unlock();
  }
}

function emptyResult(generator: Generator, options: RunOptions, inputs: Answers): RunResult {
  return {
    ok: false,
    generator: generator.name,
    inputs,
    root: options.cwd,
    created: [],
    modified: [],
    deleted: [],
    skipped: [],
    conflicts: [],
    errors: [],
    nextSteps: [],
    dryRun: options.dryRun,
    changes: [],
  };
}

async function plannedRun(generator: Generator, raw: Record<string, unknown>, options: RunOptions): Promise<RunResult> {
  const { answers, problems } = resolveAnswers(generator, raw, options);
  const result: RunResult = { ...emptyResult(generator, options, answers), errors: problems };
  if (problems.length > 0) return result;
  try {
    const run = generator.prepare(answers, options);
    const { root, migration } = run;
    result.root = root;
    const preflight = [
      ...run.preflight(),
      ...(migration !== undefined && !existsSync(drizzleKitPath(root)) ? [drizzleKitMissing(root)] : []),
    ];
    if (preflight.length > 0) throw new PlanError(preflight);
    const planned = planChanges(await run.render(), { root, force: options.force });
    const conflicts = planned.filter((change) => writesContent(change) && hasConflicts(change.content));
    // drizzle-kit cannot read a table file with conflict markers: its migration waits for them.
    const migrationWaits = migration !== undefined && conflicts.some((change) => change.path.startsWith(SCHEMA_DIR));
    // drizzle-kit runs on a scratch copy with the planned schema while Biome formats the
    // files; only when both have succeeded is anything written, all of it at once.
    const [formatted, migrationChanges] = await Promise.all([
      formatChanges(planned, root),
      migration === undefined || migrationWaits ? [] : previewMigration(root, planned, migration),
    ]);
    const changes = [...formatted, ...migrationChanges];
    const leftToDo: string[] = [];
    if (!options.dryRun) {
      applyChanges(changes, root);
      leftToDo.push(...(await run.afterApply()));
    }
    for (const change of changes) {
      if (change.kind === 'create') result.created.push(change.path);
      else if (change.kind === 'skip') result.skipped.push(change.path);
      else if (change.kind === 'delete') result.deleted.push(change.path);
      else result.modified.push(change.path);
    }
    result.changes = changes;
    result.nextSteps = [...leftToDo, ...run.nextSteps()];
    result.conflicts = conflicts.map((change) => change.path);
    result.ok = conflicts.length === 0;
    if (conflicts.length > 0) {
      result.errors = [
        `${options.dryRun ? 'would leave' : 'left'} conflict markers (<<<<<<< your edits ... ======= ... >>>>>>> generated now) in ${result.conflicts.join(', ')}, where your edits and the generated change touch the same lines. In each block keep what both sides need and delete the markers; everything else was ${options.dryRun ? 'planned' : 'written'}`,
        ...(migrationWaits && migration !== undefined
          ? [
              `no migration was written: drizzle-kit cannot read a table file with markers. Once it is resolved, run npx plop migration -- --name ${migration.name}`,
            ]
          : []),
      ];
    }
  } catch (error) {
    result.errors = error instanceof PlanError ? error.problems : [(error as Error).message];
  }
  return result;
}
