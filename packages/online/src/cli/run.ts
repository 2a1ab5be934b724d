import { createCliMain } from '@byok-ceremony/node-io';
import { COMMANDS } from './commands.js';
import type { CliDeps } from './deps.js';
import { addGlobalOptions } from './global-options.js';
import { TOOL, TOOL_VERSION } from './tool.js';

/** Runs one invocation of byok-online and returns the exit code; never throws. */
export const main = createCliMain<CliDeps>({
  tool: TOOL,
  version: TOOL_VERSION,
  commands: COMMANDS,
  globalOptions: addGlobalOptions,
});
