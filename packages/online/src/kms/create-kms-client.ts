import { KMSClient } from '@aws-sdk/client-kms';
import { ByokError } from '@byok-ceremony/shared';
import type { KmsPort } from './kms-port.js';
import { sdkKmsPort } from './sdk-kms-port.js';

export interface KmsClientOptions {
  readonly region: string | undefined;
  readonly profile: string | undefined;
  readonly endpointUrl: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives the request id of every KMS call, for the audit log. */
  readonly recordRequestId: (id: string) => void;
}

export type KmsClientFactory = (options: KmsClientOptions) => Promise<KmsPort>;

/** --endpoint-url, else AWS_ENDPOINT_URL_KMS, else AWS_ENDPOINT_URL, else the SDK's own default. */
export function resolveEndpointUrl(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const chosen = [flag, env['AWS_ENDPOINT_URL_KMS'], env['AWS_ENDPOINT_URL']].find(
    (value) => value !== undefined && value !== '',
  );
  if (chosen === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new ByokError('ERR_USAGE', `the KMS endpoint ${chosen} is not a URL`, {
      hint: 'Give --endpoint-url (or AWS_ENDPOINT_URL_KMS) as http(s)://HOST[:PORT], e.g. http://127.0.0.1:4599.',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ByokError('ERR_USAGE', `the KMS endpoint ${chosen} is not http(s)`, {
      hint: 'Give --endpoint-url as http(s)://HOST[:PORT].',
    });
  }
  return chosen;
}

/**
 * The one place a KMS client is made. Credentials come only from the SDK's default chain
 * (environment, --profile / AWS_PROFILE, SSO, container and instance roles), never from flags.
 */
export const createKmsClient: KmsClientFactory = async (options) => {
  const endpoint = resolveEndpointUrl(options.endpointUrl, options.env);
  const client = new KMSClient({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(endpoint === undefined ? {} : { endpoint }),
    maxAttempts: 3,
  });
  try {
    await client.config.region();
  } catch {
    client.destroy();
    throw new ByokError(
      'ERR_USAGE',
      'no AWS Region: neither --region, AWS_REGION nor the profile names one',
      {
        hint: 'Pass --region REGION (e.g. --region eu-west-2), set AWS_REGION, or set region in the profile.',
      },
    );
  }
  return sdkKmsPort(client, options.recordRequestId);
};
