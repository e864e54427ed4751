import { defineGenerator } from '../../src/engine/generator.js';
import { serviceProblem } from '../../src/project/service.js';
import { agentFiles } from './files.js';

export const agentGenerator = defineGenerator<Record<string, never>>({
  name: 'agent',
  description:
    'The backend-dev agent: .claude/agents/backend-dev.md, AGENTS.md, CLAUDE.md and pre-approved generator commands in .claude/settings.json',
  inputs: [],
  handEdits:
    'Re-run it after updating backend-dev-kit: it refreshes the instructions and keeps your own front-matter fields, your text outside the marked region of AGENTS.md and your other settings.',
  examples: [{}],
  normalize: () => ({}),
  root: (_options, context) => context.destBasePath,
  preflight: (_options, context) => [serviceProblem(context.destBasePath)].filter((problem) => problem !== undefined),
  // The instructions describe every generator of the pack, this one included.
  render: (_options, context) => agentFiles(context.destBasePath, context.catalogue),
  nextSteps: () => ['ask your coding agent to use the backend-dev agent for backend tasks'],
});
