import type { ImplementedOperation } from '../model/kms-types.js';
import type { Handler } from './context.js';
import { cancelKeyDeletion } from './CancelKeyDeletion.js';
import { createAlias } from './CreateAlias.js';
import { createKey } from './CreateKey.js';
import { decrypt } from './Decrypt.js';
import { deleteImportedKeyMaterial } from './DeleteImportedKeyMaterial.js';
import { describeKey } from './DescribeKey.js';
import { disableKey } from './DisableKey.js';
import { disableKeyRotation } from './DisableKeyRotation.js';
import { enableKey } from './EnableKey.js';
import { enableKeyRotation } from './EnableKeyRotation.js';
import { encrypt } from './Encrypt.js';
import { generateDataKey } from './GenerateDataKey.js';
import { generateMac } from './GenerateMac.js';
import { getKeyPolicy } from './GetKeyPolicy.js';
import { getKeyRotationStatus } from './GetKeyRotationStatus.js';
import { getParametersForImport } from './GetParametersForImport.js';
import { getPublicKey } from './GetPublicKey.js';
import { importKeyMaterial } from './ImportKeyMaterial.js';
import { listAliases } from './ListAliases.js';
import { listKeyRotations } from './ListKeyRotations.js';
import { listKeys } from './ListKeys.js';
import { listResourceTags } from './ListResourceTags.js';
import { reEncrypt } from './ReEncrypt.js';
import { replicateKey } from './ReplicateKey.js';
import { rotateKeyOnDemand } from './RotateKeyOnDemand.js';
import { scheduleKeyDeletion } from './ScheduleKeyDeletion.js';
import { signHandler } from './Sign.js';
import { verifyHandler } from './Verify.js';
import { verifyMac } from './VerifyMac.js';

/** The operations the simulator implements, by their KMS operation name. */
export const HANDLERS: { readonly [Op in ImplementedOperation]: Handler<Op> } = {
  CancelKeyDeletion: cancelKeyDeletion,
  CreateAlias: createAlias,
  CreateKey: createKey,
  Decrypt: decrypt,
  DeleteImportedKeyMaterial: deleteImportedKeyMaterial,
  DescribeKey: describeKey,
  DisableKey: disableKey,
  DisableKeyRotation: disableKeyRotation,
  EnableKey: enableKey,
  EnableKeyRotation: enableKeyRotation,
  Encrypt: encrypt,
  GenerateDataKey: generateDataKey,
  GenerateMac: generateMac,
  GetKeyPolicy: getKeyPolicy,
  GetKeyRotationStatus: getKeyRotationStatus,
  GetParametersForImport: getParametersForImport,
  GetPublicKey: getPublicKey,
  ImportKeyMaterial: importKeyMaterial,
  ListAliases: listAliases,
  ListKeyRotations: listKeyRotations,
  ListKeys: listKeys,
  ListResourceTags: listResourceTags,
  ReEncrypt: reEncrypt,
  ReplicateKey: replicateKey,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  Sign: signHandler,
  Verify: verifyHandler,
  VerifyMac: verifyMac,
};
