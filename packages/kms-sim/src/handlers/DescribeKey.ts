import { keyMetadataOf } from '../state/key-metadata.js';
import type { Handler } from './context.js';

export const describeKey: Handler<'DescribeKey'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: true });
  return { KeyMetadata: keyMetadataOf(key, state.keys) };
};
