// The entry of the single executable (scripts/build-offline-sea.mjs): Node 20 runs a SEA's script
// as CommonJS, where top-level await is not available.
// First: the network globals are gone before any other module is evaluated.
import './remove-network-globals.js';
import { processDeps } from '@byok-ceremony/node-io';
import { excludeMemoryFromCoreDumps } from '../io/core-dumps.js';
import { main } from './run.js';

excludeMemoryFromCoreDumps();

void main(process.argv.slice(2), processDeps()).then((code) => {
  process.exitCode = code;
});
