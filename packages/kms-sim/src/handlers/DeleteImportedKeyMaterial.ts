import { KmsError, invalidState, originNotValid } from '../errors.js';
import { currentMaterial } from '../state/store.js';
import type { Handler } from './context.js';

export const deleteImportedKeyMaterial: Handler<'DeleteImportedKeyMaterial'> = (
  state,
  input,
  context,
) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  if (key.origin !== 'EXTERNAL') {
    throw originNotValid(key);
  }
  if (key.deletionDate !== undefined) throw invalidState(`${key.arn} is pending deletion.`);
  const wanted = input.KeyMaterialId;
  const record =
    wanted === undefined ? currentMaterial(key) : key.materials.find((m) => m.id === wanted);
  if (record === undefined) {
    if (wanted !== undefined)
      throw new KmsError(
        'NotFoundException',
        `Key material ${wanted} is not associated with ${key.arn}.`,
      );
    return { KeyId: key.arn };
  }
  record.material?.fill(0);
  delete record.material;
  delete record.validTo;
  return { KeyId: key.arn, KeyMaterialId: record.id };
};
