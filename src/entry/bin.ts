#!/usr/bin/env node
// The entry point: it alone puts the pack's generators and its front ends together.
import { generators } from '../../generators/index.js';
import { main, projectRoot } from '../frontends/cli.js';

if (process.argv[2] === 'mcp') {
  // Serves until the client closes stdin; errors go to stderr, stdout belongs to the protocol.
  const { serveMcp } = await import('../frontends/mcp.js');
  await serveMcp(projectRoot(process.cwd()), generators).catch((error: Error) => {
    process.stderr.write(`backend-dev-kit mcp: ${error.message}\n`);
    process.exit(1);
  });
} else {
  const { code, stdout } = await main(process.argv.slice(2), process.cwd(), generators);
  // Exit only once stdout is flushed: a pipe reader must get the whole JSON object.
  process.stdout.write(stdout, () => process.exit(code));
}
