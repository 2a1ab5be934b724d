import { KmsError, invalidState, validation } from '../errors.js';
import type { Handler } from './context.js';

export const createAlias: Handler<'CreateAlias'> = (state, input, context) => {
  const name = input.AliasName;
  if (!/^alias\/[a-zA-Z0-9:/_-]+$/.test(name)) {
    throw validation(
      `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`,
    );
  }
  if (name.startsWith('alias/aws/')) {
    throw new KmsError('NotAuthorizedException', "Cannot create alias with prefix 'alias/aws/'");
  }
  const key = state.resolveKey(input.TargetKeyId, context, { aliases: false });
  if (key.deletionDate !== undefined) throw invalidState(`${key.arn} is pending deletion.`);
  const id = `${context.region}:${name}`;
  if (state.aliases.has(id)) {
    throw new KmsError(
      'AlreadyExistsException',
      `An alias with the name arn:aws:kms:${context.region}:${context.account}:${name} already exists`,
    );
  }
  const now = context.clock.nowSeconds();
  state.aliases.set(id, {
    name,
    region: context.region,
    targetKeyId: key.keyId,
    creationDate: now,
    lastUpdatedDate: now,
  });
  return {};
};
