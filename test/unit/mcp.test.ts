import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generators } from '../../generators/index.js';
import { createMcpServer } from '../../src/frontends/mcp.js';

const root = mkdtempSync(join(tmpdir(), 'bdk-mcp-'));
mkdirSync(join(root, 'src/db/schema'), { recursive: true });
writeFileSync(join(root, 'src/db/schema/index.ts'), '// tables\n');

describe('npx backend-dev-kit mcp', () => {
  const client = new Client({ name: 'test', version: '1.0.0' });
  beforeAll(async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await (await createMcpServer(root, generators)).connect(serverSide);
    await client.connect(clientSide);
  });
  // An open client would keep the test process alive.
  afterAll(() => client.close());

  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name, arguments: args });
    const [first] = result.content as Array<{ type: string; text: string }>;
    return { isError: result.isError === true, body: JSON.parse(first?.text ?? '{}') };
  };

  it('offers list, describe and run', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['describe_generator', 'list_generators', 'run_generator']);
  });

  it('lists and describes the generators as the CLI does', async () => {
    expect((await call('list_generators')).body.generators).toHaveLength(generators.length);
    const { body } = await call('describe_generator', { generator: 'route' });
    expect(body.inputs.required).toEqual(['name', 'fields']);
  });

  it('runs a generator as a dry run that writes nothing', async () => {
    const { isError, body } = await call('run_generator', { generator: 'agent', dryRun: true });
    expect(isError).toBe(false);
    expect(body.created).toContain('AGENTS.md');
    expect(existsSync(join(root, 'AGENTS.md'))).toBe(false);
  });

  it('reports refused input as an error result naming the problem', async () => {
    const { isError, body } = await call('run_generator', {
      generator: 'route',
      inputs: { name: 'posts', fields: 'x:strng' },
    });
    expect(isError).toBe(true);
    expect(body.errors.join('\n')).toContain('unknown type "strng"');
  });
});
