// The agent definition and the files that install it into a service, all made from the
// generators' own definitions so that the instructions and the generators cannot drift.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Generator, isRequired } from '../../src/engine/generator.js';
import { PlanError } from '../../src/engine/plan.js';
import { frontMatter, type Placed, renderTemplates } from '../../src/engine/templates.js';
import { cliCommand } from '../../src/frontends/commands.js';

const REGION_START = '<!-- backend-dev-kit:start';
const REGION_END = '<!-- backend-dev-kit:end -->';

/** What the templates in templates/agent/ read: every generator, its inputs and its commands. */
export function agentContext(generators: readonly Generator[]) {
  return {
    generators: generators.map((generator) => ({
      name: generator.name,
      description: generator.description,
      inputs: generator.inputs.map((input) => ({
        name: input.name,
        description: input.description.replace(/\|/g, '\\|'),
        required: isRequired(input),
        default: typeof input.default === 'string' ? input.default : '',
      })),
      commands: generator.examples.map((answers) => cliCommand(generator, answers)),
      afterwards: generator.handEdits,
    })),
  };
}

/** The agent definition as the pack ships it in agents/backend-dev.md. */
export function agentDefinition(generators: readonly Generator[]): string {
  const file = renderTemplates('agent', agentContext(generators)).find(
    (placed) => placed.path === '.claude/agents/backend-dev.md',
  );
  if (file === undefined) throw new Error('templates/agent has no .claude/agents/backend-dev.md');
  return file.content;
}

const read = (root: string, path: string): string | undefined =>
  existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined;

// Top-level `key: ...` chunks of a YAML mapping, with their indented continuation lines.
function topLevelChunks(yaml: string): Array<[string, string]> {
  const chunks: Array<[string, string]> = [];
  for (const line of yaml.split('\n')) {
    const key = /^([A-Za-z][\w-]*):/.exec(line)?.[1];
    const last = chunks.at(-1);
    if (key !== undefined) chunks.push([key, line]);
    else if (last !== undefined) last[1] += `\n${line}`;
  }
  return chunks;
}

/**
 * The installed agent file: the pack's body, under the front matter already there, so a
 * field the user changed (model, tools, color ...) stays; fields it lacks are added.
 */
function mergeAgentFile(path: string, existing: string, rendered: string): string {
  const block = (text: string) => /^---\n([\s\S]*?)\n---\n/.exec(text)?.[1];
  const ours = block(existing);
  let data: Record<string, unknown>;
  try {
    data = frontMatter()(existing, {}).data;
  } catch {
    throw new PlanError([`${path} has front matter that is not valid YAML; fix it or delete the file, then run again`]);
  }
  if (ours === undefined) return rendered;
  const missing = topLevelChunks(block(rendered) ?? '').filter(([key]) => !(key in data));
  const header = [ours, ...missing.map(([, chunk]) => chunk)].join('\n');
  return `---\n${header}\n---\n${frontMatter()(rendered, {}).content}`;
}

/** AGENTS.md: the generated region replaced (or added); whatever the user wrote around it stays. */
function mergeRegion(existing: string, rendered: string): string {
  const start = existing.indexOf(REGION_START);
  const end = existing.indexOf(REGION_END);
  if (start === -1 || end < start) return `${existing.replace(/\n*$/, '\n\n')}${rendered}`;
  return `${existing.slice(0, start)}${rendered.replace(/\n$/, '')}${existing.slice(end + REGION_END.length)}`;
}

/** .claude/settings.json: the generator commands added to what is already allowed, once each. */
function mergeSettings(path: string, existing: string, rendered: string): string {
  type Settings = { permissions?: { allow?: string[] } & Record<string, unknown> } & Record<string, unknown>;
  let current: Settings;
  try {
    current = JSON.parse(existing) as Settings;
  } catch {
    throw new PlanError([`${path} is not valid JSON; fix it, then run again`]);
  }
  const wanted = (JSON.parse(rendered) as Settings).permissions?.allow ?? [];
  const allow = [...(current.permissions?.allow ?? [])];
  for (const rule of wanted) if (!allow.includes(rule)) allow.push(rule);
  return `${JSON.stringify({ ...current, permissions: { ...current.permissions, allow } }, null, 2)}\n`;
}

/** The agent's files for the service at `root`, merged with the ones it already has. */
export function agentFiles(root: string, generators: readonly Generator[]): Placed[] {
  return renderTemplates('agent', agentContext(generators)).map((file) => {
    const existing = read(root, file.path);
    if (existing === undefined || file.action !== 'replace') return file;
    if (file.path === '.claude/agents/backend-dev.md')
      return { ...file, content: mergeAgentFile(file.path, existing, file.content) };
    if (file.path === 'AGENTS.md') return { ...file, content: mergeRegion(existing, file.content) };
    if (file.path === '.claude/settings.json')
      return { ...file, content: mergeSettings(file.path, existing, file.content) };
    return file;
  });
}
