import type { Handler } from './context.js';
import { page } from './lib/paging.js';

export const listKeys: Handler = (state, raw, context) => {
  const keys = [...state.keys.values()].filter((k) => k.region === context.region);
  const result = page(keys, raw.Limit as number | undefined, raw.Marker as string | undefined);
  return {
    Keys: result.items.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
    Truncated: result.truncated,
    ...(result.nextMarker === undefined ? {} : { NextMarker: result.nextMarker }),
  };
};
