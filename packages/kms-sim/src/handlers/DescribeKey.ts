import { keyMetadataOf } from '../state/key-metadata.js';
import type { Handler } from './context.js';

export const describeKey: Handler = (state, raw, context) => {
  const key = state.resolveKey(raw.KeyId as string, context, { aliases: true });
  return { KeyMetadata: keyMetadataOf(key, state.keys) };
};
