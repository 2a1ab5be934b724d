import { KmsError } from '../../errors.js';

/** KMS's default key policy: the account's IAM principals decide, as for a key made with none. */
export function defaultPolicy(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

/**
 * The policy a CreateKey or ReplicateKey stores: the one given, kept as sent (GetKeyPolicy
 * answers it back), or the default. KMS checks the document; the simulator checks that it is a
 * JSON object with a Statement, which is where a malformed file shows.
 */
export function policyToStore(given: string | undefined, account: string): string {
  if (given === undefined) return defaultPolicy(account);
  let document: unknown;
  try {
    document = JSON.parse(given);
  } catch {
    throw malformed('The policy is not valid JSON.');
  }
  if (
    typeof document !== 'object' ||
    document === null ||
    Array.isArray(document) ||
    !('Statement' in document)
  )
    throw malformed('The policy document has no Statement.');
  return given;
}

function malformed(message: string): KmsError {
  return new KmsError('MalformedPolicyDocumentException', message);
}
