// The simulator's defaults, apart from the server, so that the CLI parses its flags without loading it.
import type { Credentials } from './protocol/sigv4.js';

/**
 * Credentials the simulator accepts unless told otherwise. They are not AWS credentials.
 * Not frozen: the AWS SDK marks the credential objects it is given.
 */
export const REHEARSAL_CREDENTIALS: Credentials = {
  accessKeyId: 'BYOKREHEARSALKEY0001',
  secretAccessKey: 'byok-kms-sim-rehearsal-secret-not-for-aws',
};

export const DEFAULT_REGION = 'eu-west-2';
export const DEFAULT_ACCOUNT = '111122223333';
