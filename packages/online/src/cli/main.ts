#!/usr/bin/env node
import { processDeps } from './deps.js';
import { main } from './run.js';
import './commands.js';

process.exitCode = await main(process.argv.slice(2), processDeps());
