// The commands of byok-online, one file each, in the order --help lists them.
import { auditCommand, type CommandRegistrar } from '@byok-ceremony/node-io';
import { createKeyCommand } from './create-key.js';
import { deleteMaterialCommand } from './delete-material.js';
import type { CliDeps } from './deps.js';
import { importCommand } from './import.js';
import { planCommand } from './plan.js';
import { prepareCommand } from './prepare.js';
import { reportCommand } from './report.js';
import { rotateCommand } from './rotate.js';
import { statusCommand } from './status.js';

export const COMMANDS: readonly CommandRegistrar<CliDeps>[] = [
  planCommand,
  createKeyCommand,
  prepareCommand,
  importCommand,
  rotateCommand,
  statusCommand,
  deleteMaterialCommand,
  auditCommand,
  reportCommand,
];
