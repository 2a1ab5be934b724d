import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError } from '@byok-ceremony/shared';
import { readInputFile } from '@byok-ceremony/node-io';
import { kcvOnRecord } from '../ops/kcv-on-record.js';
import type { PrepareMode } from '../ops/plan-import-type.js';
import { stringList } from './global-options.js';

/** prepare's rotation, re-import and multi-Region flags. */
export function withPrepareLifecycleOptions<T>(y: Argv<T>) {
  return y
    .option('new-material', {
      type: 'boolean',
      describe:
        'Rotation: new material for symmetric keys that hold material (ImportType NEW_KEY_MATERIAL)',
    })
    .option('reimport', {
      type: 'boolean',
      describe:
        'Re-import the same material (ImportType EXISTING_KEY_MATERIAL, the KeyMaterialId from KMS)',
    })
    .option('key-material-id', {
      type: 'string',
      describe: 'With --reimport and one --key-id: the KeyMaterialId to restore',
    })
    .option('expect-kcv', {
      type: 'string',
      array: true,
      describe: 'With --reimport: KEY_ARN=KCV the original ceremony recorded (repeatable)',
    })
    .option('original-record', {
      type: 'string',
      describe: "With --reimport: the original ceremony's audit log, for each key's KCV",
    })
    .option('with-replicas', {
      type: 'boolean',
      describe:
        'Each --key-id is a multi-Region primary: add its replicas, in their Regions, to one material group',
    })
    .conflicts('new-material', ['reimport', 'key-material-id', 'expect-kcv', 'original-record'])
    .implies('key-material-id', 'reimport')
    .implies('expect-kcv', 'reimport')
    .implies('original-record', 'reimport');
}

/** --expect-kcv KEY_ARN=KCV, each ARN once. */
function expectKcvOf(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values) {
    const match =
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+)=([0-9A-Fa-f]{6})$/.exec(value);
    if (match === null || map.has(match[1]!))
      throw new ByokError('ERR_USAGE', `bad --expect-kcv ${value}`, {
        hint: 'Give --expect-kcv KEY_ARN=KCV once per key: the full key ARN and the six hex digits the original wrap printed.',
      });
    map.set(match[1]!, match[2]!.toUpperCase());
  }
  return map;
}

export interface PrepareLifecycle {
  readonly mode: PrepareMode;
  readonly keyMaterialId: string | undefined;
  readonly expectKcv: Map<string, string>;
  readonly kcvOnRecord: ReturnType<typeof kcvOnRecord> | undefined;
  readonly withReplicas: boolean;
}

/** The lifecycle flags checked; --original-record read within its size limit. */
export async function prepareLifecycleOf(
  args: Record<string, unknown>,
  keyIds: readonly string[],
  cwd: string,
): Promise<PrepareLifecycle> {
  const mode: PrepareMode =
    args['new-material'] === true
      ? 'new-material'
      : args['reimport'] === true
        ? 'reimport'
        : 'auto';
  const keyMaterialId = args['key-material-id'] as string | undefined;
  if (
    keyMaterialId !== undefined &&
    (keyIds.length !== 1 || !/^[0-9a-f]{64}$/.test(keyMaterialId))
  ) {
    throw new ByokError(
      'ERR_USAGE',
      '--key-material-id takes one KeyMaterialId (64 lowercase hex digits) for one --key-id',
      {
        hint: 'Re-import one key at a time when naming its material; byok-online status --key-id KEY lists them.',
      },
    );
  }
  const expectKcv = expectKcvOf(stringList(args, 'expect-kcv'));
  const record = args['original-record'] as string | undefined;
  const recorded =
    record === undefined
      ? undefined
      : kcvOnRecord(
          (await readInputFile(resolve(cwd, record), 'original record')).toString('utf8'),
          record,
        );
  return {
    mode,
    keyMaterialId,
    expectKcv,
    kcvOnRecord: recorded,
    withReplicas: args['with-replicas'] === true,
  };
}
