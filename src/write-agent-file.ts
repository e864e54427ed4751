// `npm run build` ends here: agents/backend-dev.md is written from the generators'
// definitions, so the shipped agent file always lists the generators as they are.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generators } from '../generators/index.js';
import { agentDefinition } from './agent.js';
import { packRoot } from './pack.js';

writeFileSync(join(packRoot, 'agents', 'backend-dev.md'), agentDefinition(generators));
