#!/usr/bin/env node
// First: the network globals are gone before any other module is evaluated.
import './remove-network-globals.js';

// Everything else is loaded only now: in the bundle (scripts/build-clis.mjs) a static import
// would put its chunk, evaluated before this file, ahead of the line above.
const [{ processDeps }, { excludeMemoryFromCoreDumps }, { main }] = await Promise.all([
  import('@byok-ceremony/node-io'),
  import('../io/core-dumps.js'),
  import('./run.js'),
]);

excludeMemoryFromCoreDumps();

process.exitCode = await main(process.argv.slice(2), processDeps());
