import { spawn } from 'node:child_process';

/**
 * The environment for tools the generators run in the target project. The pack's own
 * NODE_OPTIONS (its .npmrc preloads tsx for the TypeScript plopfile) must not reach them:
 * it would make every node-based tool load the TypeScript loader too. Nor does
 * NODE_EXTRA_CA_CERTS: none of these tools opens a TLS connection, and Node parses the
 * bundle it names as it starts (Debian's: drizzle-kit took 0.41 s with it, 0.31 s without).
 */
export function toolEnv(): NodeJS.ProcessEnv {
  const {
    NODE_OPTIONS: _ignored,
    npm_config_node_options: _alsoIgnored,
    NODE_EXTRA_CA_CERTS: _noTlsHere,
    ...env
  } = process.env;
  return env;
}

export interface ToolResult {
  code: number | null;
  /** stdout and stderr together, in arrival order. */
  output: string;
}

/** Runs a tool to completion with stdin closed; never rejects for a non-zero exit. */
export function runTool(command: string, args: string[], cwd: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: toolEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
