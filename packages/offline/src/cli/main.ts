#!/usr/bin/env node
import { processDeps } from '@byok-ceremony/node-io';
import { main } from './run.js';

process.exitCode = await main(process.argv.slice(2), processDeps());
