// The commands of byok-online, one file each.
import { registerCommands } from './run.js';

registerCommands();
