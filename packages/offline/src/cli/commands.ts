// The commands of byok-offline, one file each.
import { registerCommands } from './run.js';

registerCommands();
