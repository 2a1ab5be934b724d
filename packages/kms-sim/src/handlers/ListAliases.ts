import type { Handler } from './context.js';
import { page } from './lib/paging.js';

export const listAliases: Handler<'ListAliases'> = (state, input, context) => {
  let targetKeyId: string | undefined;
  if (input.KeyId !== undefined) {
    targetKeyId = state.resolveKey(input.KeyId, context, { aliases: false }).keyId;
  }
  const aliases = [...state.aliases.values()].filter(
    (a) =>
      a.region === context.region && (targetKeyId === undefined || a.targetKeyId === targetKeyId),
  );
  const result = page(aliases, input.Limit, input.Marker);
  return {
    Aliases: result.items.map((a) => ({
      AliasName: a.name,
      AliasArn: `arn:aws:kms:${a.region}:${context.account}:${a.name}`,
      TargetKeyId: a.targetKeyId,
      CreationDate: a.creationDate,
      LastUpdatedDate: a.lastUpdatedDate,
    })),
    Truncated: result.truncated,
    ...(result.nextMarker === undefined ? {} : { NextMarker: result.nextMarker }),
  };
};
