import { createCliMain, type CliDeps } from '@byok-ceremony/node-io';
import { COMMANDS } from './commands.js';
import { TOOL, TOOL_VERSION } from './tool.js';

/** Runs one invocation of byok-offline and returns the exit code; never throws. */
export const main = createCliMain<CliDeps>({
  tool: TOOL,
  version: TOOL_VERSION,
  commands: COMMANDS,
});
