import { loadSharedConfigFiles } from '@smithy/core/config';
import { ByokError } from '@byok-ceremony/shared';

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The Region as the AWS CLI finds it: --region, AWS_REGION, AWS_DEFAULT_REGION, then the
 * profile (left to the SDK). The SDK alone would skip AWS_DEFAULT_REGION.
 */
export function regionAsCliFindsIt(flag: string | undefined, env: Env): string | undefined {
  return flag ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
}

/** Refuses a --profile (or AWS_PROFILE) that neither the config nor the credentials file defines. */
export async function assertProfileExists(profile: string | undefined, env: Env): Promise<void> {
  const name = profile ?? nonEmpty(env['AWS_PROFILE']);
  if (name === undefined) return;
  const files = await loadSharedConfigFiles({
    ...(nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']) === undefined
      ? {}
      : { filepath: env['AWS_SHARED_CREDENTIALS_FILE']! }),
    ...(nonEmpty(env['AWS_CONFIG_FILE']) === undefined
      ? {}
      : { configFilepath: env['AWS_CONFIG_FILE']! }),
    ignoreCache: true,
  });
  if (Object.hasOwn(files.configFile, name) || Object.hasOwn(files.credentialsFile, name)) return;
  const known = [
    ...new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]),
  ];
  const from = profile === undefined ? 'AWS_PROFILE' : '--profile';
  throw new ByokError(
    'ERR_USAGE',
    `${from} ${name} names no profile: neither ${env['AWS_CONFIG_FILE'] ?? '~/.aws/config'} nor ${env['AWS_SHARED_CREDENTIALS_FILE'] ?? '~/.aws/credentials'} defines it`,
    {
      hint:
        known.length === 0
          ? 'Create it with aws configure --profile NAME, or leave --profile out to use the default credential chain.'
          : `Profiles defined: ${known.sort().join(', ')}.`,
    },
  );
}
