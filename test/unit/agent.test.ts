import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { agentDefinition } from '../../generators/agent/files.js';
import { generators } from '../../generators/index.js';
import { packRoot } from '../../src/engine/pack.js';
import { runGenerator } from '../../src/engine/runner.js';
import { COMMON_OPTIONS } from '../../src/frontends/describe.js';

const shipped = readFileSync(join(packRoot, 'agents', 'backend-dev.md'), 'utf8');

describe('agents/backend-dev.md', () => {
  it('is what the generators define today (run npm run build after changing a generator)', () => {
    expect(shipped).toBe(agentDefinition(generators));
  });

  it('has front matter that gray-matter and the yaml package both read, with valid values', () => {
    const { data } = matter(shipped, {});
    const frontMatter = /^---\n([\s\S]*?)\n---\n/.exec(shipped)?.[1] ?? '';
    expect(parse(frontMatter)).toEqual(data);
    expect(data.name).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(data.name).toBe('backend-dev');
    expect(['inherit', 'sonnet', 'opus', 'haiku']).toContain(data.model);
    expect(['red', 'blue', 'green', 'yellow', 'cyan']).toContain(data.color);
    expect(typeof data.tools).toBe('string');
    expect(data.description.length).toBeLessThan(1500);
    expect(data.description.match(/<example>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(data.description.match(/<example>/g)?.length).toBeLessThanOrEqual(4);
  });

  it('names every generator and every one of its inputs', () => {
    for (const generator of generators) {
      expect(shipped).toContain(`### ${generator.name}:`);
      expect(shipped).toContain(`npx backend-dev-kit ${generator.name} `);
      for (const input of generator.inputs) expect(shipped).toContain(`| \`--${input.name}\` |`);
    }
  });

  it('mentions no generator and no option that does not exist', () => {
    const names = new Set(generators.map((generator) => generator.name));
    for (const [, name] of shipped.matchAll(/npx backend-dev-kit ([a-z-]+)/g)) {
      expect(names.has(name ?? '') || name === 'describe' || name === 'list', `generator ${name}`).toBe(true);
    }
    for (const command of shipped.match(/^npx backend-dev-kit .*$/gm) ?? []) {
      const generator = generators.find((candidate) => command.startsWith(`npx backend-dev-kit ${candidate.name} `));
      const allowed = new Set([
        ...(generator?.inputs.map((input) => input.name) ?? []),
        ...Object.keys(COMMON_OPTIONS),
      ]);
      for (const [, option] of command.matchAll(/ --([a-z-]+)/g))
        expect(allowed.has(option ?? ''), `${command}: --${option}`).toBe(true);
    }
  });
});

describe('installing the agent into a service (the agent generator)', () => {
  const install = async (root: string) => {
    const agentGenerator = generators.find((generator) => generator.name === 'agent');
    if (agentGenerator === undefined) throw new Error('no agent generator');
    const result = await runGenerator(
      agentGenerator,
      {},
      { cwd: root, destBasePath: root, force: false, dryRun: false, catalogue: generators },
    );
    expect(result.errors).toEqual([]);
  };

  it('re-running keeps what the user changed and duplicates nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bdk-agent-'));
    mkdirSync(join(root, 'src/db/schema'), { recursive: true });
    writeFileSync(join(root, 'src/db/schema/index.ts'), '// tables\n');
    await install(root);
    const agentPath = join(root, '.claude/agents/backend-dev.md');
    writeFileSync(agentPath, readFileSync(agentPath, 'utf8').replace('model: sonnet', 'model: opus'));
    writeFileSync(
      join(root, 'AGENTS.md'),
      `# Team rules\n\nShip small.\n\n${readFileSync(join(root, 'AGENTS.md'), 'utf8')}`,
    );
    const settingsPath = join(root, '.claude/settings.json');
    const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    settings.permissions.allow.push('Bash(make:*)');
    writeFileSync(settingsPath, JSON.stringify(settings));

    await install(root);
    await install(root);
    expect(matter(readFileSync(agentPath, 'utf8'), {}).data.model).toBe('opus');
    expect(readFileSync(agentPath, 'utf8')).toContain('## Generators first');
    const agents = readFileSync(join(root, 'AGENTS.md'), 'utf8');
    expect(agents).toContain('Ship small.');
    expect(agents.match(/## Generators first/g)).toHaveLength(1);
    const allow: string[] = JSON.parse(readFileSync(settingsPath, 'utf8')).permissions.allow;
    expect(allow).toContain('Bash(make:*)');
    expect(allow).toContain('Bash(npx backend-dev-kit:*)');
    expect(new Set(allow).size).toBe(allow.length);
    expect(readFileSync(join(root, 'CLAUDE.md'), 'utf8').match(/@AGENTS\.md/g)).toHaveLength(1);
  });
});
