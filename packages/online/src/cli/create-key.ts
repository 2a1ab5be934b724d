import type { Argv } from 'yargs';
import { AuditSession } from '@byok-ceremony/node-io';
import { createKeysCeremony } from '../ops/create-key-ceremony.js';
import type { CreatedKey, CreateExternalKeyInput } from '../ops/create-external-key.js';
import { onlinePorts, runOnlineAudited } from './audited.js';
import { keysToCreate, withCreateKeyOptions } from './create-key-inputs.js';
import type { CliDeps } from './deps.js';
import { globalOptionsOf, type GlobalOptions } from './global-options.js';

function printCreated(
  deps: CliDeps,
  globals: GlobalOptions,
  inputs: readonly CreateExternalKeyInput[],
  all: readonly CreatedKey[],
): void {
  if (inputs.length > 1) {
    if (globals.json) deps.stdout(`${JSON.stringify({ keys: all })}\n`);
    else
      for (const key of all)
        deps.stdout(`${key.arn}${key.alias === undefined ? '' : ` ${key.alias}`}\n`);
    deps.stderr(
      `byok-online: ${inputs.length} keys wait for material (PendingImport): next, byok-online prepare with a --key-id for each\n`,
    );
    return;
  }
  const created = all[0]!;
  const { keySpec, keyUsage, alias } = inputs[0]!;
  if (globals.json) {
    deps.stdout(
      `${JSON.stringify({
        keyId: created.keyId,
        arn: created.arn,
        keySpec,
        keyUsage,
        ...(alias === undefined ? {} : { alias }),
      })}\n`,
    );
    return;
  }
  deps.stdout(`KeyId: ${created.keyId}\nArn:   ${created.arn}\n`);
  if (alias !== undefined) deps.stdout(`Alias: ${alias}\n`);
  deps.stderr(
    `byok-online: the key waits for material (PendingImport): next, byok-online prepare --key-id ${created.keyId} --out request.json\n`,
  );
}

export function createKeyCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'create-key',
    'Create a KMS key of origin EXTERNAL, waiting for imported material',
    withCreateKeyOptions,
    async (args) => {
      const globals = globalOptionsOf(args, deps);
      const inputs = keysToCreate(args);
      const session = new AuditSession('create-key', globals.operators);
      const all = await runOnlineAudited(deps, globals, session, () =>
        createKeysCeremony(inputs, onlinePorts(deps, globals, session)),
      );
      printCreated(deps, globals, inputs, all);
    },
  );
}
