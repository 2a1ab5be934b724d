import { validation } from '../errors.js';
import type { Handler } from './context.js';
import { page } from './lib/paging.js';

/** The service model's LimitType for this call: 1 to 50, default 50. */
const MAX_TAGS_PAGE = 50;

export const listResourceTags: Handler<'ListResourceTags'> = (state, input, context) => {
  if (input.Limit !== undefined && (input.Limit < 1 || input.Limit > MAX_TAGS_PAGE))
    throw validation(`Limit ${input.Limit} must be between 1 and ${MAX_TAGS_PAGE}`);
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  const result = page(key.tags, input.Limit ?? MAX_TAGS_PAGE, input.Marker);
  return {
    Tags: result.items.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
    Truncated: result.truncated,
    ...(result.nextMarker === undefined ? {} : { NextMarker: result.nextMarker }),
  };
};
