import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a user's shell would have: no npm lifecycle variables and no
 * NODE_OPTIONS inherited from the pack's own `npm test` (its .npmrc preloads tsx).
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('npm_') || key === 'NODE_OPTIONS' || key === 'INIT_CWD' || key.startsWith('VITEST')) continue;
    // The pack's own server for tests: a generated service's tests run on PGlite unless a test passes it on.
    if (key === 'NODE_ENV' || key === 'TEST' || key === 'DATABASE_URL' || key === 'TEST_DATABASE_URL') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to completion with stdin closed, as an agent or CI would. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Sends the signal (if still running) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a long-running command and waits until `url` answers 200. */
export async function startUntilHealthy(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; url: string; timeoutMs: number },
): Promise<Running> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running: Running = {
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before answering:\n${output}`);
    try {
      const response = await fetch(options.url);
      if (response.status === 200) return running;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await running.stop('SIGKILL');
  throw new Error(`${options.url} did not answer 200 within ${options.timeoutMs} ms:\n${output}`);
}

/** The server's pid, from its "listening" log line (pino writes the pid into every line). */
export function serverPid(log: string): number {
  const line = log.split('\n').find((entry) => entry.includes('Server listening'));
  if (line === undefined) throw new Error(`no "Server listening" line in:\n${log}`);
  return (JSON.parse(line) as { pid: number }).pid;
}
