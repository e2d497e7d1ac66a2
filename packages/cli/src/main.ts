#!/usr/bin/env node
// The `dystrack` executable: runs the command line and exits with its code.
import { main } from './cli.js';

process.exit(await main(process.argv.slice(2)));
