import { ByokError } from '@byok-ceremony/shared';
import type { KmsPort } from './kms-port.js';

export interface KmsClientOptions {
  readonly region: string | undefined;
  readonly profile: string | undefined;
  readonly endpointUrl: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives the request id of every KMS call, for the audit log. */
  readonly recordRequestId: (id: string) => void;
}

export type KmsClientFactory = (options: KmsClientOptions) => Promise<KmsPort>;

/** Where a non-default KMS endpoint came from, as the note on stderr names it. */
export type KmsEndpointSource = '--endpoint-url' | 'AWS_ENDPOINT_URL_KMS' | 'AWS_ENDPOINT_URL';

export interface KmsEndpoint {
  readonly url: string;
  readonly source: KmsEndpointSource;
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach (the rehearsal server). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * --endpoint-url, else AWS_ENDPOINT_URL_KMS, else AWS_ENDPOINT_URL, else undefined (the SDK's own
 * KMS endpoint). Plain http is refused except to this machine: credentials and the ceremony's
 * answers would cross the network unprotected.
 */
export function resolveKmsEndpoint(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): KmsEndpoint | undefined {
  const candidates: [KmsEndpointSource, string | undefined][] = [
    ['--endpoint-url', flag],
    ['AWS_ENDPOINT_URL_KMS', env['AWS_ENDPOINT_URL_KMS']],
    ['AWS_ENDPOINT_URL', env['AWS_ENDPOINT_URL']],
  ];
  const found = candidates.find(([, value]) => value !== undefined && value !== '');
  if (found === undefined) return undefined;
  const [source, chosen] = found as [KmsEndpointSource, string];
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new ByokError('ERR_USAGE', `the KMS endpoint ${chosen} (from ${source}) is not a URL`, {
      hint: 'Give --endpoint-url (or AWS_ENDPOINT_URL_KMS) as http(s)://HOST[:PORT], e.g. http://127.0.0.1:4599.',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ByokError('ERR_USAGE', `the KMS endpoint ${chosen} (from ${source}) is not http(s)`, {
      hint: 'Give --endpoint-url as http(s)://HOST[:PORT].',
    });
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ByokError(
      'ERR_USAGE',
      `the KMS endpoint ${chosen} (from ${source}) is plain http to another machine`,
      {
        hint: `Use https:// for a remote endpoint; plain http is only for a rehearsal server on this machine (127.0.0.1, ::1, localhost). If ${source} is left over from a rehearsal, unset it.`,
      },
    );
  }
  return { url: chosen, source };
}

/** The URL of resolveKmsEndpoint, or undefined for the SDK default. */
export function resolveEndpointUrl(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return resolveKmsEndpoint(flag, env)?.url;
}

/**
 * The one place a KMS client is made. Credentials come only from the SDK's default chain
 * (environment, --profile / AWS_PROFILE, SSO, container and instance roles), never from flags.
 */
export const createKmsClient: KmsClientFactory = async (options) => {
  const endpoint = resolveEndpointUrl(options.endpointUrl, options.env);
  // Loaded here, as the SDK below: the profile files are read with the SDK's own reader.
  const { assertProfileExists, regionAsCliFindsIt } = await import('./aws-profile.js');
  await assertProfileExists(options.profile, options.env);
  const region = regionAsCliFindsIt(options.region, options.env);
  const common = {
    ...(region === undefined ? {} : { region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(endpoint === undefined ? {} : { endpoint }),
    // The endpoint is the one resolved above, which the command notes and logs; a profile's
    // endpoint_url would send the ceremony elsewhere without a trace.
    ignoreConfiguredEndpointUrls: true,
  };
  // Retries are the port's, per operation (sdkKmsPort): the SDK's own would resend
  // ImportKeyMaterial blindly, and its adaptive rate limiter and retry quota stall a batch under
  // steady throttling (docs/performance.md).
  // The SDK is loaded only here, when a command calls KMS: --help and usage errors never load it.
  const { KMSClient, sdkKmsPort } = await import('./sdk-client.js');
  // cacheMiddleware: the SDK resolves each command's middleware stack once, not at every call
  // (about a fifth of the SDK's CPU per call here); nothing changes the stack after the first call.
  const client = new KMSClient({ ...common, maxAttempts: 1, cacheMiddleware: true });
  let resolved: string;
  try {
    resolved = await client.config.region();
  } catch {
    client.destroy();
    throw new ByokError(
      'ERR_USAGE',
      'no AWS Region: neither --region, AWS_REGION, AWS_DEFAULT_REGION nor the profile names one',
      {
        hint: 'Pass --region REGION (e.g. --region eu-west-2), set AWS_REGION, or set region in the profile.',
      },
    );
  }
  return sdkKmsPort(client, options.recordRequestId, resolved);
};
