// The commands of byok-offline, one file each.
import { auditCommand } from './audit-verify.js';
import { inspectCommand } from './inspect.js';
import { operatorCommand } from './operator-keygen.js';
import { registerCommands } from './run.js';
import { scanCommand } from './scan.js';
import { wrapCommand } from './wrap.js';

registerCommands(inspectCommand, wrapCommand);
registerCommands(auditCommand, operatorCommand);
registerCommands(scanCommand);
