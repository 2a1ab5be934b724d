import type { MaterialRecord } from '../state/types.js';
import type { Handler } from './context.js';
import { page } from './lib/paging.js';

export const listKeyRotations: Handler = (state, raw, context) => {
  const key = state.resolveKey(raw.KeyId as string, context, { aliases: false });
  const all = raw.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  const materials = all ? key.materials : key.materials.filter((m) => m.rotationDate !== undefined);
  const result = page(materials, raw.Limit as number | undefined, raw.Marker as string | undefined);
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
