// `npm run build` ends here: agents/backend-dev.md is written from the generators'
// definitions, so the shipped agent file always lists the generators as they are.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentDefinition } from '../../generators/agent/files.js';
import { generators } from '../../generators/index.js';
import { packRoot } from '../engine/pack.js';

writeFileSync(join(packRoot, 'agents', 'backend-dev.md'), agentDefinition(generators));
