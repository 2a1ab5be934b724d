import {
  IMPORT_PARAMETERS_LIFETIME_SECONDS,
  isWrappingAlgorithm,
  isWrappingKeySpec,
} from '@byok-ceremony/shared';
import { issueImportToken, newTokenId } from '../crypto/import-token.js';
import { keepDecodedPrivateKey } from '../crypto/wrapping-private-key.js';
import { acceptsWrapping } from '../model/import-acceptance.js';
import { KmsError, invalidState, originNotValid, unsupported, validation } from '../errors.js';
import type { WrappingKeyRecord } from '../state/types.js';
import type { Handler } from './context.js';

export const getParametersForImport: Handler<'GetParametersForImport'> = async (
  state,
  input,
  context,
) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  if (key.origin !== 'EXTERNAL') {
    throw originNotValid(key);
  }
  if (key.deletionDate !== undefined) throw invalidState(`${key.arn} is pending deletion.`);
  const algorithm = input.WrappingAlgorithm;
  const wrappingKeySpec = input.WrappingKeySpec;
  if (algorithm === 'RSAES_PKCS1_V1_5') {
    throw validation(
      'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.',
    );
  }
  if (algorithm === 'SM2PKE' || wrappingKeySpec === 'SM2') {
    if (!context.region.startsWith('cn-')) {
      throw validation('SM2 wrapping is only supported in China Regions.');
    }
    throw unsupported('byok-kms-sim does not implement SM2 wrapping.');
  }
  if (!isWrappingAlgorithm(algorithm) || !isWrappingKeySpec(wrappingKeySpec)) {
    throw validation(
      `Unsupported wrapping algorithm ${algorithm} or wrapping key spec ${wrappingKeySpec}.`,
    );
  }
  if (!acceptsWrapping(key.keySpec, algorithm, wrappingKeySpec)) {
    throw new KmsError(
      'ValidationException',
      `The ${algorithm} wrapping algorithm with a ${wrappingKeySpec} wrapping key is not supported for ${key.keySpec} keys.`,
    );
  }
  const pair = await context.pool.take(wrappingKeySpec);
  const issuedAt = Math.floor(context.clock.nowSeconds());
  const expiresAt = issuedAt + IMPORT_PARAMETERS_LIFETIME_SECONDS;
  const tokenId = newTokenId();
  const wrapping: WrappingKeyRecord = {
    tokenId,
    keyArn: key.arn,
    wrappingKeySpec,
    wrappingAlgorithm: algorithm,
    privateKeyDer: pair.privateKeyDer,
    expiresAt,
  };
  state.wrappingKeys.set(tokenId, wrapping);
  keepDecodedPrivateKey(wrapping, pair.privateKey);
  const token = issueImportToken(state.secrets.tokenKey, {
    tokenId,
    keyArn: key.arn,
    wrappingKeySpec,
    wrappingAlgorithm: algorithm,
    issuedAt,
    expiresAt,
  });
  return {
    KeyId: key.arn,
    ImportToken: token,
    PublicKey: pair.publicKeyDer,
    ParametersValidTo: expiresAt,
  };
};
