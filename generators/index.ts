import type { Generator } from '../src/engine/generator.js';
import { accessGenerator } from './access/index.js';
import { actionGenerator } from './action/index.js';
import { agentGenerator } from './agent/index.js';
import { apiKeysGenerator } from './api-keys/index.js';
import { authGenerator } from './auth/index.js';
import { authProviderGenerator } from './auth-provider/index.js';
import { deployGenerator } from './deploy/index.js';
import { destroyGenerator } from './destroy/index.js';
import { envGenerator } from './env/index.js';
import { fieldGenerator } from './field/index.js';
import { indexGenerator } from './index/index.js';
import { migrationGenerator } from './migration/index.js';
import { routeGenerator } from './route/index.js';
import { serviceGenerator } from './service/index.js';

/** Every generator of the pack, in the order `list` shows them. */
export const generators: readonly Generator[] = [
  serviceGenerator,
  routeGenerator,
  fieldGenerator,
  actionGenerator,
  indexGenerator,
  authGenerator,
  apiKeysGenerator,
  authProviderGenerator,
  accessGenerator,
  migrationGenerator,
  destroyGenerator,
  envGenerator,
  deployGenerator,
  agentGenerator,
];
