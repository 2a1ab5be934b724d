import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, adminRequest, bash, tempDir } from './helpers.js';

// The procedure of AWS's knowledge-center article (the project's seed), verbatim but for the
// key id placeholder and the en dash of its step 8 ("–region"), which no shell would accept.
const SEED_PROCEDURE = `
openssl rand -out PlaintextKeyMaterial.bin 32

export KEY=\`aws kms --region eu-west-2 get-parameters-for-import --key-id example1-2345-67ab-9123-456789abcdef --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 --query '{Key:PublicKey,Token:ImportToken}' --output text\`

echo $KEY | awk '{print $1}' > PublicKey.b64
echo $KEY | awk '{print $2}' > ImportToken.b64

openssl enc -d -base64 -A -in PublicKey.b64 -out PublicKey.bin
openssl enc -d -base64 -A -in ImportToken.b64 -out ImportToken.bin

openssl pkeyutl -in PlaintextKeyMaterial.bin -out EncryptedKeyMaterial.bin -inkey PublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256

aws kms –region eu-west-2 import-key-material --key-id example1-2345-67ab-9123-456789abcdef --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE
`;

function seedFor(keyId: string): string {
  return `set -euo pipefail\n${SEED_PROCEDURE.replaceAll('example1-2345-67ab-9123-456789abcdef', keyId).replace('aws kms –region', 'aws kms --region')}`;
}

/** Fresh parameters for a key, unpacked the seed's way, into files named with a prefix. */
function getParameters(keyId: string, prefix: string): string {
  return `
set -euo pipefail
P=\`aws kms get-parameters-for-import --key-id ${keyId} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 --query '{Key:PublicKey,Token:ImportToken}' --output text\`
echo $P | awk '{print $1}' | openssl enc -d -base64 -A -out ${prefix}PublicKey.bin
echo $P | awk '{print $2}' | openssl enc -d -base64 -A -out ${prefix}ImportToken.bin
`;
}

describe('the seed procedure against byok-kms-sim with the aws CLI and openssl', () => {
  let sim: KmsSim;
  const temp = tempDir();
  let keyId = '';

  beforeAll(async () => {
    sim = await startKmsSim({
      wrappingKeyPool: false,
      wrappingKeyPoolFile: FIXTURE_WRAPPING_KEY_POOL,
    });
  });
  afterAll(async () => {
    await sim.close();
    temp.cleanup();
  });

  it('imports the material and leaves the key Enabled with a working encrypt/decrypt round trip', async () => {
    const created = await bash(
      sim,
      temp.dir,
      'aws kms create-key --origin EXTERNAL --description seed --query KeyMetadata.KeyId --output text',
    );
    expect(created.stderr).toBe('');
    keyId = created.stdout.trim();
    expect(keyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const before = await bash(
      sim,
      temp.dir,
      `aws kms describe-key --key-id ${keyId} --query KeyMetadata.KeyState --output text`,
    );
    expect(before.stdout.trim()).toBe('PendingImport');

    const seed = await bash(sim, temp.dir, seedFor(keyId));
    expect(seed.stderr).toBe('');
    expect(seed.code).toBe(0);
    const imported = JSON.parse(seed.stdout) as { KeyId: string; KeyMaterialId: string };
    expect(imported.KeyId).toBe(`arn:aws:kms:eu-west-2:111122223333:key/${keyId}`);
    expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);

    const described = await bash(
      sim,
      temp.dir,
      `aws kms describe-key --key-id ${keyId} --output json`,
    );
    const metadata = (JSON.parse(described.stdout) as { KeyMetadata: Record<string, unknown> })
      .KeyMetadata;
    expect(metadata).toMatchObject({
      KeyState: 'Enabled',
      Enabled: true,
      Origin: 'EXTERNAL',
      ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      CurrentKeyMaterialId: imported.KeyMaterialId,
    });
    expect(metadata.ValidTo).toBeUndefined();

    const roundTrip = await bash(
      sim,
      temp.dir,
      `set -euo pipefail
printf 'ceremony rehearsal' > plain.txt
aws kms encrypt --key-id ${keyId} --plaintext fileb://plain.txt --query CiphertextBlob --output text | openssl enc -d -base64 -A -out cipher.bin
aws kms decrypt --ciphertext-blob fileb://cipher.bin --query Plaintext --output text | openssl enc -d -base64 -A`,
    );
    expect(roundTrip.stderr).toBe('');
    expect(roundTrip.stdout).toBe('ceremony rehearsal');
  });

  it('answers a junk blob with InvalidCiphertextException', async () => {
    const result = await bash(
      sim,
      temp.dir,
      `${getParameters(keyId, 'junk-')}
openssl rand -out junk.bin 256
aws kms import-key-material --key-id ${keyId} --encrypted-key-material fileb://junk.bin --import-token fileb://junk-ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      '(InvalidCiphertextException) when calling the ImportKeyMaterial operation',
    );
  });

  it('answers a token of another key with InvalidImportTokenException', async () => {
    const other = await bash(
      sim,
      temp.dir,
      'aws kms create-key --origin EXTERNAL --query KeyMetadata.KeyId --output text',
    );
    const otherId = other.stdout.trim();
    const result = await bash(
      sim,
      temp.dir,
      `${getParameters(otherId, 'other-')}
openssl pkeyutl -in PlaintextKeyMaterial.bin -out other-Encrypted.bin -inkey other-PublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms import-key-material --key-id ${keyId} --encrypted-key-material fileb://other-Encrypted.bin --import-token fileb://other-ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      '(InvalidImportTokenException) when calling the ImportKeyMaterial operation',
    );
  });

  it('answers different material re-imported as EXISTING with IncorrectKeyMaterialException, and the same material succeeds', async () => {
    const different = await bash(
      sim,
      temp.dir,
      `${getParameters(keyId, 'again-')}
openssl rand -out Different.bin 32
openssl pkeyutl -in Different.bin -out again-Encrypted.bin -inkey again-PublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms import-key-material --key-id ${keyId} --encrypted-key-material fileb://again-Encrypted.bin --import-token fileb://again-ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE --import-type EXISTING_KEY_MATERIAL`,
    );
    expect(different.code).not.toBe(0);
    expect(different.stderr).toContain(
      '(IncorrectKeyMaterialException) when calling the ImportKeyMaterial operation',
    );

    const same = await bash(
      sim,
      temp.dir,
      `set -euo pipefail
openssl pkeyutl -in PlaintextKeyMaterial.bin -out again-Same.bin -inkey again-PublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms import-key-material --key-id ${keyId} --encrypted-key-material fileb://again-Same.bin --import-token fileb://again-ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE --import-type EXISTING_KEY_MATERIAL`,
    );
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
  });

  it('answers a token used 25 hours later with ExpiredImportTokenException', async () => {
    const fresh = await bash(sim, temp.dir, getParameters(keyId, 'late-'));
    expect(fresh.code).toBe(0);
    const advanced = await adminRequest(sim, '/_sim/clock', {
      body: JSON.stringify({ advanceSeconds: 25 * 3600 }),
    });
    expect(advanced.json.offsetSeconds).toBe(25 * 3600);
    const result = await bash(
      sim,
      temp.dir,
      `set -euo pipefail
openssl pkeyutl -in PlaintextKeyMaterial.bin -out late-Encrypted.bin -inkey late-PublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms import-key-material --key-id ${keyId} --encrypted-key-material fileb://late-Encrypted.bin --import-token fileb://late-ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE`,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      '(ExpiredImportTokenException) when calling the ImportKeyMaterial operation',
    );
  });
});
