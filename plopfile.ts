import type { NodePlopAPI } from 'plop';
import { generators } from './generators/index.js';
import { type PlopConfig, registerWithPlop } from './src/frontends/plop-adapter.js';

/**
 * The pack's one entry: `npx plop <generator>` here, and `plop.load('backend-dev-kit')`
 * in a service's plopfile (which passes `force` on, since plop does not).
 */
export default function backendDevKit(plop: NodePlopAPI, config: PlopConfig = {}): void {
  registerWithPlop(plop, generators, config);
}
