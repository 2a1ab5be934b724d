import { ByokError } from '@byok-ceremony/shared';

/** The Region of a KMS key or alias ARN, or undefined for ids and alias names. */
export function regionOfArn(keyId: string): string | undefined {
  const match = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId);
  return match?.[1];
}

/** Refuses a key ARN of another Region than the client's, before KMS answers a bare NotFound. */
export function assertKeyInRegion(keyId: string, region: string, flag = '--key-id'): void {
  const arnRegion = regionOfArn(keyId);
  if (arnRegion !== undefined && arnRegion !== region)
    throw new ByokError(
      'ERR_USAGE',
      `${flag} ${keyId} is a key in Region ${arnRegion}, but this command talks to KMS in ${region}`,
      {
        hint: `Give --region ${arnRegion} (the Region comes from --region, else AWS_REGION, AWS_DEFAULT_REGION or the profile).`,
      },
    );
}
