import { RAW_IMPORT_TOKEN_LABEL, RAW_MATERIAL_LABEL } from '@byok-ceremony/shared';
import { FactsBuilder, type Ceremony } from '@byok-ceremony/node-io';
import { withKms, type OnlinePorts } from './ceremony-ports.js';
import { importRawMaterial } from './import-raw-material.js';
import type { Expiration } from './resolve-expiration.js';
import type { WaitOptions } from './wait-for-imported.js';

export interface ImportRawCeremonyInput {
  readonly keyId: string;
  /** ImportToken.bin from prepare --raw-dir. */
  readonly importToken: string;
  /** EncryptedKeyMaterial.bin from byok-offline wrap raw (or the seed's openssl step). */
  readonly encryptedKeyMaterial: string;
  readonly expiration: Expiration;
}

export interface ImportRawCeremonyResult {
  readonly keyArn: string;
  readonly keyState: string;
  readonly keyMaterialId: string | null;
}

/** `import raw`: the seed's step 8 from its binary files; nothing to confirm, nothing to prove. */
export async function importRawCeremony(
  input: ImportRawCeremonyInput,
  ports: Pick<OnlinePorts, 'openKms' | 'readFile'> & { readonly wait: WaitOptions },
): Promise<Ceremony<ImportRawCeremonyResult>> {
  const facts = new FactsBuilder();
  facts.add({ exceptions: ['raw-mode'] });
  return facts.run(async () => {
    const importToken = await ports.readFile(input.importToken, 'import token');
    facts.input(RAW_IMPORT_TOKEN_LABEL, importToken);
    const encryptedKeyMaterial = await ports.readFile(
      input.encryptedKeyMaterial,
      'encrypted key material',
    );
    facts.input(RAW_MATERIAL_LABEL, encryptedKeyMaterial);
    const { description, keyMaterialId } = await withKms(ports, (kms) =>
      importRawMaterial(
        kms,
        { keyId: input.keyId, importToken, encryptedKeyMaterial, expiration: input.expiration },
        ports.wait,
      ),
    );
    facts.add({
      keys: [
        {
          keyArn: description.arn,
          keySpec: description.keySpec,
          keyState: description.keyState,
          ...(keyMaterialId === null ? {} : { keyMaterialId }),
        },
      ],
    });
    return { keyArn: description.arn, keyState: description.keyState, keyMaterialId };
  });
}
