import { validation } from '../errors.js';
import { defaultPolicy } from './lib/key-policy.js';
import type { Handler } from './context.js';

export const getKeyPolicy: Handler<'GetKeyPolicy'> = (state, input, context) => {
  // The service model: "The only valid name is default".
  if (input.PolicyName !== undefined && input.PolicyName !== 'default')
    throw validation(
      `PolicyName ${input.PolicyName} is not valid: the only policy name is default`,
    );
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  // State files written before policies were kept hold none: their keys have the default.
  return { Policy: key.policy ?? defaultPolicy(key.account), PolicyName: 'default' };
};
