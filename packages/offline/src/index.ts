export { main } from './cli/run.js';
export type { CliDeps } from '@byok-ceremony/node-io';
