#!/usr/bin/env node
// First: the network globals are gone before any other module is evaluated.
import './remove-network-globals.js';
import { processDeps } from '@byok-ceremony/node-io';
import { excludeMemoryFromCoreDumps } from '../io/core-dumps.js';
import { main } from './run.js';

excludeMemoryFromCoreDumps();

process.exitCode = await main(process.argv.slice(2), processDeps());
