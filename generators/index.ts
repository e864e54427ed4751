import type { Generator } from '../src/generator.js';
import { agentGenerator } from './agent.js';
import { envGenerator } from './env.js';
import { fieldGenerator } from './field.js';
import { migrationGenerator } from './migration.js';
import { routeGenerator } from './route.js';
import { serviceGenerator } from './service.js';

/** Every generator of the pack, in the order `list` shows them. */
export const generators: Generator[] = [
  serviceGenerator(() => generators),
  routeGenerator,
  fieldGenerator,
  migrationGenerator,
  envGenerator,
  agentGenerator(() => generators),
];
