// The commands of byok-online, one file each.
import { registerCommands } from './run.js';
import './create-key.js';
import './prepare.js';
import './import.js';
import './status.js';
import './audit-verify.js';
import './report.js';

registerCommands();
