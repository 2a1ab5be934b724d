import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ByokError, parseOperatorNames } from '@byok-ceremony/shared';
import type { PortRecorder } from '@byok-ceremony/node-io';
import type { KmsPort } from '../kms/kms-port.js';
import { createKmsClient, resolveKmsEndpoint, type KmsEndpoint } from '../kms/create-kms-client.js';
import type { CliDeps } from './deps.js';

export const DEFAULT_AUDIT_LOG = 'byok-online-audit.jsonl';

/** The options every byok-online command takes, AWS CLI style. */
export function addGlobalOptions(cli: Argv): Argv {
  return cli
    .option('region', {
      type: 'string',
      describe: 'AWS Region of the keys (else AWS_REGION or the profile)',
    })
    .option('profile', {
      type: 'string',
      describe: 'Named profile from ~/.aws/config for credentials and Region',
    })
    .option('endpoint-url', {
      type: 'string',
      describe: 'KMS endpoint, e.g. byok-kms-sim (else AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print one JSON object on stdout',
    })
    .option('operator', {
      type: 'string',
      array: true,
      describe: 'Name of an operator present (repeatable; recorded in the bundle and audit log)',
    })
    .option('audit-log', {
      type: 'string',
      default: DEFAULT_AUDIT_LOG,
      describe: 'Audit log to append this command to',
    });
}

export interface GlobalOptions {
  readonly region: string | undefined;
  readonly profile: string | undefined;
  /** --endpoint-url or the environment's endpoint, checked; undefined for the SDK default. */
  readonly endpoint: KmsEndpoint | undefined;
  readonly json: boolean;
  readonly operators: readonly string[];
  /** Absolute path. */
  readonly auditLog: string;
}

function optionalString(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new ByokError('ERR_USAGE', `--${name} needs one non-empty value`, {
      hint: `Give --${name} once, with a value.`,
    });
  }
  return value;
}

export function stringList(args: Record<string, unknown>, name: string): string[] {
  const value = args[name];
  if (value === undefined) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string' || item === '') {
      throw new ByokError('ERR_USAGE', `--${name} needs a non-empty value`, {
        hint: `Give each --${name} a value.`,
      });
    }
    return item;
  });
}

export function globalOptionsOf(args: Record<string, unknown>, deps: CliDeps): GlobalOptions {
  // One person, one name: NFKC, and no two names that differ only in case or look-alikes.
  const operators = parseOperatorNames(stringList(args, 'operator'));
  return {
    region: optionalString(args, 'region'),
    profile: optionalString(args, 'profile'),
    // Resolved with the flags, so a bad or plain-http endpoint is a usage error before any output.
    endpoint: resolveKmsEndpoint(optionalString(args, 'endpoint-url'), deps.env),
    json: args['json'] === true,
    operators,
    auditLog: resolve(deps.cwd, optionalString(args, 'audit-log') ?? DEFAULT_AUDIT_LOG),
  };
}

/**
 * Opens KMS per the global options; request ids of every call, and the endpoint and Region, go
 * to the command's session (`into`). A non-default endpoint is noted on stderr.
 */
export async function openKms(
  deps: CliDeps,
  options: GlobalOptions,
  into: Pick<PortRecorder, 'kmsRequest' | 'usedKms'>,
): Promise<KmsPort> {
  const { endpoint } = options;
  // A variable left over from a rehearsal must not pass unseen in a real ceremony.
  if (endpoint !== undefined)
    deps.stderr(
      `byok-online: note: using KMS endpoint ${endpoint.url} (from ${endpoint.source})\n`,
    );
  const factory = deps.kmsClientFactory ?? createKmsClient;
  const kms = await factory({
    region: options.region,
    profile: options.profile,
    endpointUrl: endpoint?.url,
    env: deps.env,
    recordRequestId: (id) => {
      into.kmsRequest(id);
    },
  });
  // The command's own Region goes on record; replicas' Regions are in their ARNs.
  into.usedKms({ endpoint: endpoint?.url ?? null, region: kms.region });
  return kms;
}
