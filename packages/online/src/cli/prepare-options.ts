import type { Argv } from 'yargs';
import {
  ByokError,
  DEFAULT_QR_DENSITY,
  DEFAULT_WRAPPING_KEY_SPEC,
  WRAPPING_ALGORITHMS,
  WRAPPING_KEY_SPECS,
  isWrappingAlgorithm,
  isWrappingKeySpec,
  type QrDensity,
  type WrappingAlgorithm,
  type WrappingKeySpec,
} from '@byok-ceremony/shared';
import { withQrShowOptions } from '@byok-ceremony/node-io';
import { withConcurrencyOption } from './concurrency-option.js';
import { stringList } from './global-options.js';
import { withPrepareLifecycleOptions } from './prepare-lifecycle.js';

/** The request goes out at `normal`: version-18 codes, comfortable for a 720p webcam. */
export const REQUEST_QR_DENSITY: QrDensity = DEFAULT_QR_DENSITY;

export function withPrepareOptions(y: Argv) {
  return withPrepareLifecycleOptions(
    withConcurrencyOption(withQrShowOptions(y, REQUEST_QR_DENSITY)),
  )
    .option('key-id', {
      type: 'string',
      array: true,
      describe: 'Key id, ARN, alias name or alias ARN (repeatable)',
    })
    .option('wrapping-algorithm', {
      type: 'string',
      describe: `One of ${WRAPPING_ALGORITHMS.join(', ')} (default: per key spec)`,
    })
    .option('wrapping-key-spec', {
      type: 'string',
      describe: `One of ${WRAPPING_KEY_SPECS.join(', ')} (default: ${DEFAULT_WRAPPING_KEY_SPEC})`,
    })
    .option('plan', {
      type: 'string',
      describe:
        'Ceremony plan (docs/plan-format.md): create what KMS lacks of it, then prepare its keys',
    })
    .option('out', {
      type: 'string',
      describe: 'Import request file to write (must not exist)',
    })
    .option('raw-dir', {
      type: 'string',
      describe: 'Also write DIR/KEY_ID/PublicKey.bin and ImportToken.bin (DIR must not exist)',
    });
}

export type PrepareArgs = Awaited<ReturnType<typeof withPrepareOptions>['argv']>;

export interface PrepareFlags {
  readonly keyIds: string[];
  readonly algorithm: WrappingAlgorithm | undefined;
  readonly wrappingKeySpec: WrappingKeySpec;
  readonly out: string;
}

/** --out, refused as a usage error before anything runs. */
export function outOf(args: PrepareArgs): string {
  if (args.out === undefined || args.out === '') {
    throw new ByokError('ERR_USAGE', 'prepare needs --out FILE', {
      hint: 'Name the import request file to write, e.g. --out request.json.',
    });
  }
  return args.out;
}

/** The keys, the wrapping choice and --out, each refused as a usage error before anything runs. */
export function prepareFlagsOf(args: PrepareArgs): PrepareFlags {
  const keyIds = stringList(args, 'key-id');
  if (keyIds.length === 0) {
    throw new ByokError('ERR_USAGE', 'prepare needs at least one --key-id', {
      hint: 'Name each key: --key-id KEY_ID_OR_ARN (repeatable); create one with byok-online create-key.',
    });
  }
  // A set, not indexOf per key: ten thousand keys are a hundred million comparisons.
  const seen = new Set<string>();
  const duplicates = keyIds.filter((k) => seen.size === seen.add(k).size);
  if (duplicates.length > 0) {
    throw new ByokError('ERR_USAGE', `--key-id ${duplicates[0]!} is given twice`, {
      hint: 'Name each key once.',
    });
  }
  const algorithm = args['wrapping-algorithm'];
  if (algorithm !== undefined && !isWrappingAlgorithm(algorithm)) {
    throw new ByokError('ERR_USAGE', `unknown --wrapping-algorithm ${algorithm}`, {
      hint: `Use one of ${WRAPPING_ALGORITHMS.join(', ')}, or leave it out to pick per key spec.`,
    });
  }
  const wrappingKeySpec = args['wrapping-key-spec'] ?? DEFAULT_WRAPPING_KEY_SPEC;
  if (!isWrappingKeySpec(wrappingKeySpec)) {
    throw new ByokError('ERR_USAGE', `unknown --wrapping-key-spec ${wrappingKeySpec}`, {
      hint: `Use one of ${WRAPPING_KEY_SPECS.join(', ')} (RSA_4096 is preferred).`,
    });
  }
  return { keyIds, algorithm, wrappingKeySpec, out: outOf(args) };
}
