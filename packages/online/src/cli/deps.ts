import {
  processDeps as nodeProcessDeps,
  type CliDeps as NodeCliDeps,
} from '@byok-ceremony/node-io';
import { createKmsClient, type KmsClientFactory } from '../kms/create-kms-client.js';

/** Everything a command touches outside its inputs, KMS included, so tests drive the real command in-process. */
export interface CliDeps extends NodeCliDeps {
  /** Makes the KMS client; tests may substitute one. Defaults to the real SDK client factory. */
  readonly kmsClientFactory?: KmsClientFactory;
  /** Waits between DescribeKey polls; tests may make it instant. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** stderr is a terminal: import draws its progress bar there. */
  readonly stderrIsTty?: boolean;
}

export function processDeps(): CliDeps {
  return {
    ...nodeProcessDeps(),
    kmsClientFactory: createKmsClient,
    stderrIsTty: process.stderr.isTTY,
  };
}
