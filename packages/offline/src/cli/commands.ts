// The commands of byok-offline, one file each, in the order --help lists them.
import { auditCommand, type CliDeps, type CommandRegistrar } from '@byok-ceremony/node-io';
import { componentsCommand } from './components-new.js';
import { inspectCommand } from './inspect.js';
import { operatorCommand } from './operator-keygen.js';
import { recoverCommand } from './recover.js';
import { scanCommand } from './scan.js';
import { selfTestCommand } from './self-test.js';
import { versionCommand } from './version.js';
import { wrapCommand } from './wrap.js';

export const COMMANDS: readonly CommandRegistrar<CliDeps>[] = [
  inspectCommand,
  wrapCommand,
  recoverCommand,
  componentsCommand,
  auditCommand,
  operatorCommand,
  scanCommand,
  selfTestCommand,
  versionCommand,
];
