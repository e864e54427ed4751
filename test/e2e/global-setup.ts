import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { expectSuccess, install, npm, plop } from '../support/service.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A service generated with `npx plop service` (stdin closed), installed and built. */
    baseService: {
      dir: string;
      generation: { code: number | null; stdout: string; stderr: string };
      /** What `npm install` warned of. */
      installWarnings: string[];
    };
  }
}

/** Installing a service takes most of a minute: it is done once, and each file copies the result. */
export default async function setup(project: TestProject): Promise<() => void> {
  const work = mkdtempSync(join(tmpdir(), 'bdk-e2e-'));
  const dir = join(work, 'orders-service');
  const generation = await plop(['service', dir]);
  expectSuccess(generation, 'npx plop service');
  const installWarnings = await install(dir);
  expectSuccess(await npm(['run', 'build'], dir), 'npm run build');
  project.provide('baseService', { dir, generation, installWarnings });
  return () => rmSync(work, { recursive: true, force: true });
}
