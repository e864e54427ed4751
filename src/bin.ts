#!/usr/bin/env node
import { main, projectRoot } from './cli.js';

if (process.argv[2] === 'mcp') {
  // Serves until the client closes stdin; errors go to stderr, stdout belongs to the protocol.
  const { serveMcp } = await import('./mcp.js');
  await serveMcp(projectRoot(process.cwd())).catch((error: Error) => {
    process.stderr.write(`backend-dev-kit mcp: ${error.message}\n`);
    process.exit(1);
  });
} else {
  const { code, stdout } = await main(process.argv.slice(2), process.cwd());
  // Exit only once stdout is flushed: a pipe reader must get the whole JSON object.
  process.stdout.write(stdout, () => process.exit(code));
}
