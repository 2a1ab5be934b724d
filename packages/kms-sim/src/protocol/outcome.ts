import { KmsError } from '../errors.js';

/** What one request came to: the answer sent, and what the request log and verbose log show. */
export interface Outcome {
  /** 0 when the connection is reset instead of answered. */
  status: number;
  body?: unknown;
  contentType?: string;
  operation?: string;
  admin?: string;
  keyId?: string;
  error?: string;
  fault?: 'throttle' | 'internal' | 'reset';
}

/** A KMS error answers as itself; anything else is logged and answers KMSInternalException. */
export function failedOutcome(
  outcome: Outcome,
  error: unknown,
  log: ((line: string) => void) | undefined,
): Outcome {
  if (error instanceof KmsError) {
    return {
      ...outcome,
      status: error.status,
      error: error.type,
      body: { __type: error.type, message: error.message },
    };
  }
  log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  return {
    ...outcome,
    status: 500,
    error: 'KMSInternalException',
    body: {
      __type: 'KMSInternalException',
      message: 'The request was rejected because an internal exception occurred.',
    },
  };
}
