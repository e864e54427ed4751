import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { unifiedDiff } from '../../src/engine/diff.js';
import { itPassesItsOwnChecks } from '../support/checks.js';
import { run, userEnv } from '../support/process.js';
import { copyService, expectSuccess, npm, packRoot } from '../support/service.js';
import { snapshot } from '../support/tree.js';

const base = inject('baseService');
let service: string;
const shell = (command: string) => run('sh', ['-c', command], { cwd: service, env: userEnv() });

const unstamped = (diff: string) => diff.replace(/"when": \d+/g, '"when": 0');

/** Where a run's paths are relative to: the root it reports. */
const rootOf = (report: { root: string }) => report.root;

/** Every line of every ```sh block, in order. */
function commandsIn(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, block]) =>
    (block ?? '').split('\n').filter((line) => line.trim() !== ''),
  );
}

beforeAll(async () => {
  service = await copyService(base.dir, 'agent-under-test');
});

describe('the agent installed into a new service', () => {
  it('is there: the agent file, AGENTS.md, CLAUDE.md and pre-approved commands', () => {
    const agent = readFileSync(join(service, '.claude/agents/backend-dev.md'), 'utf8');
    expect(agent).toBe(readFileSync(join(packRoot, 'agents/backend-dev.md'), 'utf8'));
    expect(readFileSync(join(service, 'AGENTS.md'), 'utf8')).toContain('## Generators first');
    expect(readFileSync(join(service, 'CLAUDE.md'), 'utf8').trim()).toBe('@AGENTS.md');
    const settings = JSON.parse(readFileSync(join(service, '.claude/settings.json'), 'utf8'));
    expect(settings.permissions.allow).toContain('Bash(npx backend-dev-kit:*)');
  });

  it('every command it gives works with stdin closed; each dry run writes nothing and reports what the real run does', async () => {
    const agent = readFileSync(join(service, '.claude/agents/backend-dev.md'), 'utf8');
    const agents = readFileSync(join(service, 'AGENTS.md'), 'utf8');
    const commands = [...new Set([...commandsIn(agent), ...commandsIn(agents)])];
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const command of commands) {
      const before = snapshot(service);
      const dry = await shell(`${command} --dry-run`);
      expect(dry.code, `${command} --dry-run\n${dry.stdout}${dry.stderr}`).toBe(0);
      const preview = JSON.parse(dry.stdout);
      expect(snapshot(service)).toEqual(before);

      const previous = Object.fromEntries(
        Object.keys(preview.diffs).map((file) => [file, readFileSync(join(rootOf(preview), file), 'utf8')]),
      );
      const real = await shell(command);
      expect(real.code, `${command}\n${real.stdout}${real.stderr}`).toBe(0);
      const result = JSON.parse(real.stdout);
      expect(result.ok).toBe(true);
      expect(new Set(result.created)).toEqual(new Set(preview.created));
      expect(new Set(result.modified)).toEqual(new Set(preview.modified));
      // Each diff the dry run showed is the change the real run made, line for line, but for
      // the time drizzle-kit stamps a migration with in its journal.
      for (const [file, before] of Object.entries(previous)) {
        const after = readFileSync(join(rootOf(result), file), 'utf8');
        expect(unstamped(unifiedDiff(file, before, after)), `${command}: ${file}`).toBe(unstamped(preview.diffs[file]));
      }
    }
    expect(existsSync(join(service, '..', 'billing-service', 'src/app.ts'))).toBe(true);
  });

  it('npx backend-dev-kit mcp serves the generators over stdio, and run_generator writes for real', async () => {
    // The MCP SDK is an optional peer: a project that wants the server installs it, as the README says.
    const peer = await npm(
      ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', '@modelcontextprotocol/sdk@^1.32.2'],
      service,
    );
    expectSuccess(peer, 'npm install -D @modelcontextprotocol/sdk');
    const client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: 'npx',
        args: ['backend-dev-kit', 'mcp'],
        cwd: service,
        env: userEnv() as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['describe_generator', 'list_generators', 'run_generator']);
      const result = await client.callTool({
        name: 'run_generator',
        arguments: {
          generator: 'env',
          inputs: { name: 'MCP_FLAG', description: 'Set over MCP', type: 'boolean', default: 'false' },
        },
      });
      const [first] = result.content as Array<{ text: string }>;
      expect(result.isError, first?.text).not.toBe(true);
      expect(JSON.parse(first?.text ?? '{}')).toMatchObject({
        ok: true,
        modified: expect.arrayContaining(['.env.example']),
      });
      expect(readFileSync(join(service, '.env.example'), 'utf8')).toContain('MCP_FLAG=false');
    } finally {
      await client.close();
    }
  });

  itPassesItsOwnChecks(() => service);

  it('npx plop agent again changes nothing', async () => {
    const before = snapshot(service);
    expectSuccess(await run('npx', ['plop', 'agent'], { cwd: service, env: userEnv() }), 'npx plop agent');
    expect(snapshot(service)).toEqual(before);
  });

  it('bad input answers ok: false with the problem named, and a non-zero exit', async () => {
    for (const [command, message] of [
      ['npx backend-dev-kit nope --json', 'unknown generator "nope"'],
      ['npx backend-dev-kit route --name tags --colour red --json', 'unknown option --colour'],
      ['npx backend-dev-kit route --name tags --json', 'missing required input "fields"'],
      ['npx backend-dev-kit route --name tags --fields "label:strng" --json', 'unknown type "strng"'],
    ] as const) {
      const result = await shell(command);
      expect(result.code, command).not.toBe(0);
      const body = JSON.parse(result.stdout);
      expect(body.ok).toBe(false);
      expect(body.errors.join('\n')).toContain(message);
    }
  });
});
