import { MAX_VALID_TO_SECONDS } from '@byok-ceremony/shared';
import { readImportToken } from '../crypto/import-token.js';
import { keyMaterialIdOf } from '../crypto/key-material-id.js';
import { checkKeyMaterial } from '../crypto/material.js';
import { unwrapKeyMaterial } from '../crypto/unwrap.js';
import { privateKeyOf } from '../crypto/wrapping-private-key.js';
import { KmsError, invalidState, originNotValid, unsupported, validation } from '../errors.js';
import { keyStateOf } from '../state/store.js';
import type { SimState } from '../state/store.js';
import type { ImportKeyMaterialRequest } from '../model/kms-types.js';
import type {
  ExpirationModel,
  KeyRecord,
  MaterialRecord,
  WrappingKeyRecord,
} from '../state/types.js';
import type { Handler } from './context.js';

function incorrect(message: string): KmsError {
  return new KmsError('IncorrectKeyMaterialException', message);
}

const invalidToken = (): KmsError =>
  new KmsError(
    'InvalidImportTokenException',
    'Import token is invalid or is associated with a different KMS key.',
  );

/** The request's parameters, checked first, as KMS validates them before touching the material. */
function checkImportParameters(
  key: KeyRecord,
  input: ImportKeyMaterialRequest,
  now: number,
): ExpirationModel {
  const expirationModel = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES';
  if (expirationModel === 'KEY_MATERIAL_EXPIRES') {
    if (input.ValidTo === undefined) {
      throw validation('A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES');
    }
    if (input.ValidTo <= now) throw validation('The validTo date must be in the future.');
    if (input.ValidTo > now + MAX_VALID_TO_SECONDS) {
      throw validation('The validTo date must be no more than 365 days in the future.');
    }
  } else if (input.ValidTo !== undefined) {
    throw validation(
      'A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE',
    );
  }
  if (
    input.ImportType === 'NEW_KEY_MATERIAL' &&
    key.keySpec !== 'SYMMETRIC_DEFAULT' &&
    key.materials.length > 0
  ) {
    throw unsupported(`${key.keySpec} keys cannot have new key material after the initial import.`);
  }
  // The model: KeyMaterialDescription is "only usable with symmetric encryption keys".
  if (input.KeyMaterialDescription !== undefined && key.keySpec !== 'SYMMETRIC_DEFAULT') {
    throw validation(
      `KeyMaterialDescription is only supported for symmetric encryption keys; ${key.arn} is ${key.keySpec}.`,
    );
  }
  if (input.ImportType === 'NEW_KEY_MATERIAL' && input.KeyMaterialId !== undefined) {
    throw validation('KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.');
  }
  return expirationModel;
}

/** Only an EXTERNAL key that is enabled or awaits its material takes an import. */
function checkKeyTakesImport(key: KeyRecord): void {
  if (key.origin !== 'EXTERNAL') {
    throw originNotValid(key);
  }
  const keyState = keyStateOf(key);
  if (keyState !== 'Enabled' && keyState !== 'PendingImport') {
    throw invalidState(
      `${key.arn} is ${keyState === 'PendingDeletion' ? 'pending deletion' : 'disabled'}.`,
    );
  }
}

/** The wrapping key an import token names, if the token is this key's and still valid. */
function wrappingKeyOfToken(
  state: SimState,
  key: KeyRecord,
  token: Buffer,
  now: number,
): WrappingKeyRecord {
  const claims = readImportToken(state.secrets.tokenKey, token);
  if (claims === undefined || claims.keyArn !== key.arn) throw invalidToken();
  if (claims.expiresAt <= now) {
    throw new KmsError(
      'ExpiredImportTokenException',
      'Import token expired. Get a new import token and public key, re-wrap the key material and try again.',
    );
  }
  const wrapping = state.wrappingKeys.get(claims.tokenId);
  if (wrapping === undefined) throw invalidToken();
  return wrapping;
}

/** The material unwrapped with the token's private key and checked for the key's spec. */
function unwrapForKey(key: KeyRecord, wrapping: WrappingKeyRecord, encrypted: Buffer): Buffer {
  let unwrapped: Buffer;
  try {
    unwrapped = unwrapKeyMaterial(
      privateKeyOf(wrapping),
      wrapping.wrappingKeySpec,
      wrapping.wrappingAlgorithm,
      encrypted,
    );
  } catch {
    throw new KmsError(
      'InvalidCiphertextException',
      'The ciphertext is invalid: KMS could not decrypt the encrypted key material with the wrapping key of this import token.',
    );
  }
  try {
    return checkKeyMaterial(key.keySpec, unwrapped);
  } finally {
    unwrapped.fill(0);
  }
}

/** Puts the material into its record (and new material's id into each replica's list). */
function storeMaterial(
  state: SimState,
  key: KeyRecord,
  id: string,
  material: Buffer,
  input: ImportKeyMaterialRequest,
  expirationModel: ExpirationModel,
): void {
  const isNew = !key.materials.some((m) => m.id === id);
  const record = placeMaterial(key, id, input);
  if (isNew && key.multiRegionKeyType === 'PRIMARY') {
    // Each replica needs its own import of the same material before it can use it.
    for (const replicaArn of key.replicaArns) {
      state.keys.get(replicaArn)?.materials.push({
        id,
        state: record.state === 'CURRENT' ? 'CURRENT' : 'PENDING_ROTATION',
      });
    }
  }
  record.material?.fill(0);
  record.material = material;
  record.expirationModel = expirationModel;
  if (input.ValidTo !== undefined) record.validTo = input.ValidTo;
  else delete record.validTo;
  if (input.KeyMaterialDescription !== undefined) record.description = input.KeyMaterialDescription;
}

export const importKeyMaterial: Handler<'ImportKeyMaterial'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  const now = context.clock.nowSeconds();
  const expirationModel = checkImportParameters(key, input, now);
  checkKeyTakesImport(key);
  const wrapping = wrappingKeyOfToken(state, key, input.ImportToken, now);
  const material = unwrapForKey(key, wrapping, input.EncryptedKeyMaterial);
  const id = keyMaterialIdOf(state.secrets.materialIdKey, key.keyId, material);
  try {
    storeMaterial(state, key, id, material, input, expirationModel);
  } catch (error) {
    material.fill(0);
    throw error;
  }
  key.enabled = true;
  return { KeyId: key.arn, KeyMaterialId: id };
};

/** Finds or creates the material record an import goes into, refusing what KMS refuses. */
function placeMaterial(
  key: KeyRecord,
  id: string,
  input: ImportKeyMaterialRequest,
): MaterialRecord {
  if (input.KeyMaterialId !== undefined && input.KeyMaterialId !== id) {
    throw incorrect(
      'The key material does not match the key material identified by KeyMaterialId.',
    );
  }
  const existing = key.materials.find((m) => m.id === id);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') {
    // Asymmetric and HMAC keys keep the material of their first import forever.
    if (key.materials.length > 0 && existing === undefined) {
      throw incorrect(
        'The key material is not the same key material that was previously imported into this KMS key.',
      );
    }
    if (existing !== undefined) return existing;
    const record: MaterialRecord = { id, state: 'CURRENT' };
    key.materials.push(record);
    return record;
  }
  const importType =
    input.ImportType ?? (key.materials.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL');
  if (importType === 'EXISTING_KEY_MATERIAL') {
    if (existing === undefined) {
      throw incorrect(
        'The key material is not the same key material that was previously imported into this KMS key.',
      );
    }
    return existing;
  }
  if (existing !== undefined) {
    throw incorrect(
      'KMS expected new key material but this key material is already associated with the KMS key.',
    );
  }
  if (key.multiRegionKeyType === 'REPLICA') {
    throw unsupported(
      'New key material must be imported into the primary key of a multi-Region key; import it into the replica as EXISTING_KEY_MATERIAL.',
    );
  }
  if (key.materials.length === 0) {
    const record: MaterialRecord = { id, state: 'CURRENT' };
    key.materials.push(record);
    return record;
  }
  const pending = key.materials.find(
    (m) => m.state === 'PENDING_ROTATION' || m.state === 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION',
  );
  if (pending !== undefined) {
    // AWS's words (LocalStack's snapshot, recorded against AWS): the key by its id, not its ARN.
    throw invalidState(
      `New key material (id: ${id}) cannot be imported into KMS key ${key.keyId}, because another key material (id: ${pending.id}) is pending rotation.`,
    );
  }
  const record: MaterialRecord = {
    id,
    state:
      key.replicaArns.length > 0 ? 'PENDING_MULTI_REGION_IMPORT_AND_ROTATION' : 'PENDING_ROTATION',
  };
  key.materials.push(record);
  return record;
}
