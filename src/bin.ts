#!/usr/bin/env node
import { main } from './cli.js';

const { code, stdout } = await main(process.argv.slice(2), process.cwd());
// Exit only once stdout is flushed: a pipe reader must get the whole JSON object.
process.stdout.write(stdout, () => process.exit(code));
