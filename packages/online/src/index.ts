export { main } from './cli/run.js';
export type { CliDeps } from './cli/deps.js';
