import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type Finished, freePort, run, serverPid, startUntilHealthy, userEnv } from './process.js';

export const packRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `npx plop <args>` from the pack's root, with stdin closed, as a user or agent runs it. */
export function plop(args: string[], cwd = packRoot): Promise<Finished> {
  return run('npx', ['plop', ...args], { cwd, env: userEnv() });
}

export function npm(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Finished> {
  return run('npm', args, { cwd, env: userEnv(env) });
}

/** Installs a generated service's dependencies from the local npm cache where it can; resolves with npm's warnings. */
export async function install(serviceDir: string): Promise<string[]> {
  const result = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund'], serviceDir);
  if (result.code !== 0) throw new Error(`npm install failed in ${serviceDir}:\n${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /^npm warn/i.test(line));
}

/** Fails with the command's whole output, so a red test says why. */
export function expectSuccess(result: Finished, what: string): void {
  if (result.code !== 0) {
    throw new Error(`${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
}

/**
 * A private copy of the installed base service beside it (npm's links inside node_modules
 * are relative, so the copy sits at the same depth): the sources copied, node_modules
 * hard-linked, since nothing writes there. Returns the copy's directory.
 */
export async function copyService(base: string, name: string): Promise<string> {
  const target = join(dirname(base), name);
  const script =
    'mkdir "$2" && tar -C "$1" --exclude=./node_modules --exclude=./.data -cf - . | tar -C "$2" -xf - && cp -al "$1/node_modules" "$2/node_modules"';
  expectSuccess(await run('sh', ['-c', script, 'sh', base, target], { cwd: base }), 'copy the base service');
  return target;
}

/**
 * Runs `npm start` (build, then serve) in a service on a free port, on an in-memory
 * database unless `env` says otherwise, and stops it with SIGTERM after `use`: it must exit 0.
 */
export async function withServer<T>(
  dir: string,
  env: Record<string, string>,
  use: (url: string) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const server = await startUntilHealthy('npm', ['start'], {
    cwd: dir,
    env: userEnv({ PORT: String(port), DATABASE_URL: 'memory://', ...env }),
    url: `http://127.0.0.1:${port}/readyz`,
    timeoutMs: 60_000,
  });
  try {
    return await use(`http://127.0.0.1:${port}`);
  } finally {
    process.kill(serverPid(server.output()), 'SIGTERM');
    expect(await server.exited).toBe(0);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: JSON from a service, read field by field in the assertions
type Loose = Record<string, any>;

/** One request to a served service, with a JSON body when there is one; the answer's status and parsed body. */
export async function call(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Loose }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Loose) };
}
