import { agentFiles } from '../src/agent.js';
import type { Generator } from '../src/generator.js';
import { serviceProblem } from '../src/resource-checks.js';

/** `catalogue` lists every generator, this one included, for the instructions it writes. */
export const agentGenerator = (catalogue: () => Generator[]): Generator => ({
  name: 'agent',
  description:
    'The backend-dev agent: .claude/agents/backend-dev.md, AGENTS.md, CLAUDE.md and pre-approved generator commands in .claude/settings.json',
  inputs: [],
  handEdits:
    'Re-run it after updating backend-dev-kit: it refreshes the instructions and keeps your own front-matter fields, your text outside the marked region of AGENTS.md and your other settings.',
  examples: [{}],
  root: (_answers, context) => context.destBasePath,
  preflight: (_answers, context) => [serviceProblem(context.destBasePath)].filter((problem) => problem !== undefined),
  render: (_answers, context) => agentFiles(context.destBasePath, catalogue()),
  nextSteps: () => ['ask your coding agent to use the backend-dev agent for backend tasks'],
});
