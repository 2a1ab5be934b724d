import type { Handler } from './context.js';
import { page } from './lib/paging.js';

export const listKeys: Handler<'ListKeys'> = (state, input, context) => {
  const keys = [...state.keys.values()].filter((k) => k.region === context.region);
  const result = page(keys, input.Limit, input.Marker);
  return {
    Keys: result.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
    Truncated: result.truncated,
    ...(result.nextMarker === undefined ? {} : { NextMarker: result.nextMarker }),
  };
};
