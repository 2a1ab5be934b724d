import type { MaterialRecord } from '../state/types.js';
import type { Handler } from './context.js';
import { page } from './lib/paging.js';

export const listKeyRotations: Handler<'ListKeyRotations'> = (state, input, context) => {
  const key = state.resolveKey(input.KeyId, context, { aliases: false });
  const all = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const materials = all ? key.materials : key.materials.filter((m) => m.rotationDate !== undefined);
  const result = page(materials, input.Limit, input.Marker);
  return {
    Rotations: result.items.map((m: MaterialRecord) => ({
      KeyId: key.arn,
      KeyMaterialId: m.id,
      ...(m.description === undefined ? {} : { KeyMaterialDescription: m.description }),
      ...(key.origin === 'EXTERNAL'
        ? { ImportState: m.material === undefined ? 'PENDING_IMPORT' : 'IMPORTED' }
        : {}),
      KeyMaterialState: m.state,
      ...(m.expirationModel === undefined ? {} : { ExpirationModel: m.expirationModel }),
      ...(m.validTo === undefined ? {} : { ValidTo: m.validTo }),
      ...(m.rotationDate === undefined
        ? {}
        : { RotationDate: m.rotationDate, RotationType: m.rotationType }),
    })),
    Truncated: result.truncated,
    ...(result.nextMarker === undefined ? {} : { NextMarker: result.nextMarker }),
  };
};
