// The commands of byok-offline, one file each.
import { inspectCommand } from './inspect.js';
import { registerCommands } from './run.js';
import { wrapCommand } from './wrap.js';

registerCommands(inspectCommand, wrapCommand);
