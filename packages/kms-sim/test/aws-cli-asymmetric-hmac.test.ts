import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKmsSim } from '../src/index.js';
import type { KmsSim } from '../src/index.js';
import { FIXTURE_WRAPPING_KEY_POOL, bash, tempDir } from './helpers.js';

describe('asymmetric and HMAC import through the aws CLI and openssl', () => {
  let sim: KmsSim;
  const temp = tempDir();

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

  it("imports an ECC_NIST_P256 private key with AWS's RSA_AES_KEY_WRAP_SHA_256 commands; get-public-key and sign match it", async () => {
    const result = await bash(
      sim,
      temp.dir,
      `set -euo pipefail
KEY_ID=$(aws kms create-key --origin EXTERNAL --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
openssl genpkey -algorithm EC -out EcPrivateKey.pem -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve
openssl pkcs8 -topk8 -outform der -in EcPrivateKey.pem -out PlaintextKeyMaterial.bin -nocrypt
aws kms get-parameters-for-import --key-id "$KEY_ID" --wrapping-algorithm RSA_AES_KEY_WRAP_SHA_256 --wrapping-key-spec RSA_2048 --output text --query '[PublicKey,ImportToken]' > params.txt
awk '{print $1}' params.txt | openssl enc -d -base64 -A -out WrappingPublicKey.bin
awk '{print $2}' params.txt | openssl enc -d -base64 -A -out ImportToken.bin
openssl rand -out aes-key.bin 32
openssl enc -id-aes256-wrap-pad -K "$(xxd -p < aes-key.bin | tr -d '\\n')" -iv A65959A6 -in PlaintextKeyMaterial.bin -out key-material-wrapped.bin
openssl pkeyutl -encrypt -in aes-key.bin -out aes-key-wrapped.bin -inkey WrappingPublicKey.bin -keyform DER -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256
cat aes-key-wrapped.bin key-material-wrapped.bin > EncryptedKeyMaterial.bin
aws kms import-key-material --key-id "$KEY_ID" --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE > /dev/null
aws kms get-public-key --key-id "$KEY_ID" --query PublicKey --output text | openssl enc -d -base64 -A -out KmsPublicKey.der
openssl pkey -in EcPrivateKey.pem -pubout -outform DER -out LocalPublicKey.der
cmp KmsPublicKey.der LocalPublicKey.der && echo PUBLIC-KEY-MATCHES
openssl pkey -in EcPrivateKey.pem -pubout -out LocalPublicKey.pem
printf 'signed by the ceremony key' > message.txt
aws kms sign --key-id "$KEY_ID" --message fileb://message.txt --message-type RAW --signing-algorithm ECDSA_SHA_256 --query Signature --output text | openssl enc -d -base64 -A -out signature.bin
openssl dgst -sha256 -verify LocalPublicKey.pem -signature signature.bin message.txt
aws kms describe-key --key-id "$KEY_ID" --query KeyMetadata.KeyState --output text`,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('PUBLIC-KEY-MATCHES');
    expect(result.stdout).toContain('Verified OK');
    expect(result.stdout.trim().endsWith('Enabled')).toBe(true);
  });

  it('answers generate-mac for an imported HMAC_256 key with the MAC openssl computes', async () => {
    const result = await bash(
      sim,
      temp.dir,
      `set -euo pipefail
KEY_ID=$(aws kms create-key --origin EXTERNAL --key-spec HMAC_256 --key-usage GENERATE_VERIFY_MAC --query KeyMetadata.KeyId --output text)
openssl rand -out HmacKey.bin 32
aws kms get-parameters-for-import --key-id "$KEY_ID" --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_2048 --output text --query '[PublicKey,ImportToken]' > hmac-params.txt
awk '{print $1}' hmac-params.txt | openssl enc -d -base64 -A -out HmacPublicKey.bin
awk '{print $2}' hmac-params.txt | openssl enc -d -base64 -A -out HmacImportToken.bin
openssl pkeyutl -in HmacKey.bin -out HmacEncrypted.bin -inkey HmacPublicKey.bin -keyform DER -pubin -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256
aws kms import-key-material --key-id "$KEY_ID" --encrypted-key-material fileb://HmacEncrypted.bin --import-token fileb://HmacImportToken.bin --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE > /dev/null
printf 'a message to authenticate' > mac-message.txt
echo "kms $(aws kms generate-mac --key-id "$KEY_ID" --message fileb://mac-message.txt --mac-algorithm HMAC_SHA_256 --query Mac --output text)"
echo "openssl $(openssl dgst -sha256 -mac HMAC -macopt hexkey:$(xxd -p -c 256 HmacKey.bin) -binary mac-message.txt | openssl enc -base64 -A)"`,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const kms = /^kms (\S+)$/m.exec(result.stdout)?.[1];
    const openssl = /^openssl (\S+)$/m.exec(result.stdout)?.[1];
    expect(kms).toBeDefined();
    expect(kms).toHaveLength(44);
    expect(kms).toBe(openssl);
  });
});
