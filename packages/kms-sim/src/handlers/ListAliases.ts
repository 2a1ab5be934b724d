import type { Handler } from './context.js';
import { page } from './lib/paging.js';

/**
 * Aliases AWS predefines in every Region for its managed keys: KMS lists them, without a
 * TargetKeyId until a service first uses one, whenever ListAliases names no key.
 */
const PREDEFINED = ['alias/aws/dynamodb', 'alias/aws/ebs', 'alias/aws/s3'];

export const listAliases: Handler<'ListAliases'> = (state, input, context) => {
  let targetKeyId: string | undefined;
  if (input.KeyId !== undefined) {
    targetKeyId = state.resolveKey(input.KeyId, context, { aliases: false }).keyId;
  }
  const aliases = [...state.aliases.values()].filter(
    (a) =>
      a.region === context.region && (targetKeyId === undefined || a.targetKeyId === targetKeyId),
  );
  const listed = [
    ...(targetKeyId === undefined ? PREDEFINED.map((name) => ({ name })) : []),
    ...aliases.map((a) => ({
      name: a.name,
      TargetKeyId: a.targetKeyId,
      CreationDate: a.creationDate,
      LastUpdatedDate: a.lastUpdatedDate,
    })),
  ];
  const result = page(listed, input.Limit, input.Marker);
  return {
    Aliases: result.items.map(({ name, ...rest }) => ({
      AliasName: name,
      AliasArn: `arn:aws:kms:${context.region}:${context.account}:${name}`,
      ...rest,
    })),
    Truncated: result.truncated,
    ...(result.nextMarker === undefined ? {} : { NextMarker: result.nextMarker }),
  };
};
