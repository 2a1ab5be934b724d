import type { IncomingMessage } from 'node:http';
import { KmsError } from '../errors.js';
import type { Handler, HandlerContext } from '../handlers/context.js';
import { HANDLERS } from '../handlers/index.js';
import { OPERATIONS } from '../model/kms-model.js';
import type { OperationModel } from '../model/kms-model.js';
import type { ImplementedOperation } from '../model/kms-types.js';
import type { SimState } from '../state/store.js';
import { faultError, injectFault } from './faults.js';
import type { FaultSpec } from './faults.js';
import type { Outcome } from './outcome.js';
import { verifySigV4 } from './sigv4.js';
import type { Credentials } from './sigv4.js';
import { validateInput } from './validate.js';
import { encodeOutput, parseBody } from './wire.js';

export interface KmsRequestDeps {
  state: SimState;
  context: HandlerContext;
  /** Every Region served; a request signed for another one is refused as for the wrong Region. */
  regions: ReadonlySet<string>;
  credentials: ReadonlyMap<string, Credentials>;
  faults: FaultSpec;
  random: () => number;
  /** Called after every request that may have changed the state. */
  persist?: () => void;
}

/** Operations that never change the state, so nothing is saved after them. */
const READ_ONLY = new Set([
  'DescribeKey',
  'ListKeys',
  'ListAliases',
  'ListKeyRotations',
  'GetKeyRotationStatus',
  'GetPublicKey',
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateMac',
  'VerifyMac',
  'Sign',
  'Verify',
]);

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The Region of a SigV4 credential scope, when it is a Region name. */
function signedRegionOf(authorization: string | undefined): string | undefined {
  const region = /Credential=[^/\s,]+\/\d{8}\/([^/\s,]+)\/kms\/aws4_request/.exec(
    authorization ?? '',
  )?.[1];
  return region !== undefined && REGION_NAME.test(region) ? region : undefined;
}

/** One simulator serves every Region: the signature's scope names the Region a call is for. */
function regionOf(req: IncomingMessage, deps: KmsRequestDeps): string {
  const signed = signedRegionOf(req.headers.authorization);
  return signed !== undefined && deps.regions.has(signed) ? signed : deps.context.region;
}

/** The operation a POST names in X-Amz-Target, and the handler that serves it. */
function routeOf(
  method: string | undefined,
  name: string,
): { operation: OperationModel; handler: Handler<ImplementedOperation> } {
  const operation = OPERATIONS[name];
  if (method !== 'POST' || operation === undefined) {
    throw new KmsError('UnknownOperationException', '');
  }
  const handler = (HANDLERS as Readonly<Record<string, Handler<ImplementedOperation> | undefined>>)[
    name
  ];
  if (handler === undefined) {
    throw new KmsError(
      'UnsupportedOperationException',
      `${name} is not supported by byok-kms-sim.`,
    );
  }
  return { operation, handler };
}

/**
 * A KMS request, in the order KMS checks it: signature, operation, then (after any injected
 * fault) the input against the model, then the handler over the state.
 */
export async function answerKmsRequest(
  req: IncomingMessage,
  body: Buffer,
  outcome: Outcome,
  deps: KmsRequestDeps,
): Promise<Outcome> {
  const { state, context } = deps;
  const region = regionOf(req, deps);
  await verifySigV4(
    { method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body },
    deps.credentials,
    region,
    new Date(),
  );
  const name = outcome.operation ?? '';
  const { operation, handler } = routeOf(req.method, name);
  const fault = await injectFault(deps.faults, deps.random);
  if (fault === 'reset') return { ...outcome, status: 0, fault };
  if (fault !== 'none') {
    outcome.fault = fault;
    throw faultError(fault);
  }
  const input =
    operation.input === undefined ? {} : validateInput(operation.input, parseBody(body));
  // What time did (expiry, automatic rotation) is saved even when the request itself only reads.
  if (state.tick(context.clock.nowSeconds())) deps.persist?.();
  // validateInput checked the input against the same model the types were generated from.
  const output = await handler(state, input, { ...context, region });
  if (!READ_ONLY.has(name)) deps.persist?.();
  return { ...outcome, status: 200, body: encodeOutput(output) };
}
