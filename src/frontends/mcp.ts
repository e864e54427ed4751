// `npx backend-dev-kit mcp`: the same three operations as the CLI (list, describe, run
// with a dry run) as MCP tools over stdio, for agents that prefer tools to a shell.
// The MCP SDK is an optional peer dependency: it is loaded only when this runs.

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Generator } from '../engine/generator.js';
import { runGenerator } from '../engine/runner.js';
import { describeGenerator } from './describe.js';
import { report } from './report.js';

const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] });

/** An MCP server with the generator tools, working in the project at `root`. */
export async function createMcpServer(root: string, generators: readonly Generator[]): Promise<McpServer> {
  const [{ McpServer }, { z }] = await Promise.all([import('@modelcontextprotocol/sdk/server/mcp.js'), import('zod')]);
  const server = new McpServer({ name: 'backend-dev-kit', version: '1.0.0' });
  const names = generators.map((generator) => generator.name) as [string, ...string[]];

  server.registerTool(
    'list_generators',
    { description: 'The backend-dev-kit generators and what each writes', inputSchema: {} },
    async () => text({ ok: true, generators: generators.map(({ name, description }) => ({ name, description })) }),
  );

  server.registerTool(
    'describe_generator',
    {
      description: "A generator's inputs as JSON Schema, with examples",
      inputSchema: { generator: z.enum(names) },
    },
    async ({ generator }) => {
      const found = generators.find((candidate) => candidate.name === generator);
      return text(found === undefined ? { ok: false } : { ok: true, ...describeGenerator(found) });
    },
  );

  server.registerTool(
    'run_generator',
    {
      description:
        'Run a generator in the project. Inputs as describe_generator lists them (all strings; "true"/"false" for yes/no). ' +
        'dryRun writes nothing and returns what would change, with diffs. Refused runs write nothing.',
      inputSchema: {
        generator: z.enum(names),
        inputs: z.record(z.string(), z.string()).default({}),
        dryRun: z.boolean().default(false),
        force: z.boolean().default(false),
      },
    },
    async ({ generator, inputs, dryRun, force }) => {
      const found = generators.find((candidate) => candidate.name === generator);
      if (found === undefined)
        return { ...text({ ok: false, errors: [`unknown generator ${generator}`] }), isError: true };
      const result = await runGenerator(found, inputs, {
        cwd: root,
        destBasePath: root,
        force,
        dryRun,
        catalogue: generators,
      });
      return { ...text(report(result)), isError: !result.ok };
    },
  );
  return server;
}

/** Serves the tools on stdin/stdout until the client closes the connection. */
export async function serveMcp(root: string, generators: readonly Generator[]): Promise<void> {
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js').catch(() => {
    throw new Error('the MCP server needs its optional peers: npm install -D @modelcontextprotocol/sdk zod');
  });
  const server = await createMcpServer(root, generators);
  await server.connect(new StdioServerTransport());
}
