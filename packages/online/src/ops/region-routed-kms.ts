import type { KmsPort } from '../kms/kms-port.js';
import { regionOfArn } from './key-region.js';

/**
 * One KmsPort over several Regions: each call about a key goes to the Region of its ARN (ids
 * and aliases to the home Region), so a multi-Region ceremony's steps stay unaware of Regions.
 * Other Regions' clients are opened on first use and closed by close(); home stays with its owner.
 */
export function regionRoutedKms(
  home: KmsPort,
  open: (region: string) => Promise<KmsPort>,
): KmsPort {
  const others = new Map<string, Promise<KmsPort>>();
  const portFor = (keyId: string): Promise<KmsPort> => {
    const region = regionOfArn(keyId);
    if (region === undefined || region === home.region) return Promise.resolve(home);
    let port = others.get(region);
    if (port === undefined) {
      port = open(region);
      others.set(region, port);
    }
    return port;
  };
  return {
    region: home.region,
    createKey: (input) => home.createKey(input),
    createAlias: (alias, target) => home.createAlias(alias, target),
    replicateKey: async (primary, region, input) =>
      (await portFor(primary)).replicateKey(primary, region, input),
    listAliases: () => home.listAliases(),
    listResourceTags: async (keyId) => (await portFor(keyId)).listResourceTags(keyId),
    getKeyPolicy: async (keyId) => (await portFor(keyId)).getKeyPolicy(keyId),
    describeKey: async (keyId) => (await portFor(keyId)).describeKey(keyId),
    getParametersForImport: async (keyId, algorithm, spec) =>
      (await portFor(keyId)).getParametersForImport(keyId, algorithm, spec),
    importKeyMaterial: async (input) => (await portFor(input.keyId)).importKeyMaterial(input),
    generateMac: async (keyId, message, algorithm) =>
      (await portFor(keyId)).generateMac(keyId, message, algorithm),
    getPublicKey: async (keyId) => (await portFor(keyId)).getPublicKey(keyId),
    listKeyMaterials: async (keyId) => (await portFor(keyId)).listKeyMaterials(keyId),
    rotateKeyOnDemand: async (keyId) => (await portFor(keyId)).rotateKeyOnDemand(keyId),
    deleteImportedKeyMaterial: async (keyId, id) =>
      (await portFor(keyId)).deleteImportedKeyMaterial(keyId, id),
    listKeys: () => home.listKeys(),
    close() {
      for (const port of others.values())
        void port.then(
          (p) => {
            p.close();
          },
          () => undefined,
        );
    },
  };
}
