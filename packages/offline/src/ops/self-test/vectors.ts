// The known answers of byok-offline self-test, as hex. Each family names its source: the RFCs'
// and FIPS 180's own examples, and for RSA-OAEP a throwaway key with ciphertexts made once by
// OpenSSL 3.0 (packages/offline/test/fixtures/self-test/make-rsa-oaep-vectors.sh; a test
// checks that these values are the committed fixture files and that openssl decrypts them).

export interface RsaOaepVector {
  readonly name: string;
  readonly hash: 'sha1' | 'sha256';
  readonly plaintext: string;
  readonly ciphertext: string;
}

export interface RsaOaepVectors {
  /** PKCS#8 PEM of a throwaway 2048-bit RSA key, made for these vectors; it protects nothing. */
  readonly privateKeyPem: string;
  readonly vectors: readonly RsaOaepVector[];
}

export const RSA_OAEP_VECTORS: RsaOaepVectors = {
  privateKeyPem: `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDb85BPLksmuHKl
zsGjuYHyWbX1KE/ZsLQxLr1zIWJwXqTZ45SvwYT4HJBkR5aZK3X33mUydIXu4iD6
zgRD9NhGdG92Jrvw+S6lwmMFtk9TUvnCIYQOchhcTw3wfPbMzueaSPde5UHLfK+S
dgX0FA+oneLV2k+e+IdjCsSeJRho9y6Olh6yHe+6B9BWuMcOcKwPEYeLgYk2ZpDR
RTg8QXMk/wWAr0ulB2XhX7h6AU0o1Qj5jQAXk/N9GK0Wj9PyB4JiEHWdyrPeEHg0
tiYETKlF3L3/zh0+TUuZ3Iksg9unpgmj7OPshf1z8w5ky9HTfG7csLI9IKKSv/wd
5Juwc2L/AgMBAAECggEAIv+7u83AVECksEZDwRtYq8lN+d0DRRQoEsIUOp4E/Z/M
bYYYImtnDtqaDfWSPNHnQJzZJNEugAI9gIszBI6RB4z+23cduszRI7vYaTqcSW76
TRjA3FJCwWrW61Mx1l8qB/6KVkWhVZGD7TNDOUEj82Ru3tvmhYOYeiW8KZ9Pe2Fm
MvnC7XObHTunwI8YYAEgBIhXd57vHjeCzsUl4i6M07X9Wo4iR/tRcXpogEJ1HEGc
ipA1ZgUyOEo5N0KQrLkzCl9eV/WC6uyuD8CIoNOaUdkdJGIlImzGnwiZpCnszGtK
4msOBQDCbf8roKHNBziV7G5FRQUApjk/wrTITgGtaQKBgQDzRBdSQVcDZ3zxykc9
4TygJbL9VghSjwsGlYL87fjwzEGZbsHmdCU+8w0HsRKEVAw0L1shtrRi0UDLjLDc
9jKRgpPB4swoyaxgK1pFWqBB2F/hrCoZ8vd3l0rcS6c6ehM39DE+lOOzjmjh1L7t
gvAXuVKkg1bbfv3kD2SgFH/hKwKBgQDndwsrWRdMI6LL2o+C3XtmeryaAK8xoksX
hQEd+G0tHbJ0n8PKIa5tFl+ahPV+V3igxoKu66fsk738fTetLw83d/juwvWzXpHx
UjZh96AqxgxQbc997sw7j3B2ApPcTpKZUFbIHBnew8dsc3DagLz72ZxZRU6Z85Pc
gMjRaETTfQKBgH1+xg0wGgRukd1mfcQlexIfAKyCgn6cvpJh9RYoagFHThwqMCuE
BWbpGfK63ZOYjEcrmvbUe1BzJNsdNGx5MfMxCqq+JpZwG9Xs53/Z1czCJAyWtY13
c0Slrv/go1+edGWsOu9O/fy2XdMK3ohGwTdr6n9mJhvL8oyBiGawzJvLAoGAL372
A8ccSLtnRH1sxWW9VKIK4W8ShBTRY9ofCI9Zl9BoNhYyjt+qcygMJiDyXyKD1jnl
xw8EPj9y1MS9EASAEtnDcvr+f/f/6oz8K84sR5qsHDTsRuMhdXdRlGWjAan92wfp
Rta9WEDEQzTNC4kvPl7A/nCCWITq6mxiyNWkieECgYEAlZAB1hVvuLY5h9PsdCOo
qwQnP1tlz9m6iEqLF95it/tRfb669W3t8rFH5zglCm5X1Eanw7jWC2hBcmp7hJfj
gCLBeXC7HMkZHD5sMk51xgaSsWWBqe3BF4N8ZMkhfhv8uTfrYCUsgatE/tzYNWxX
dkhapW8CY0oZ/zCpkvkywL8=
-----END PRIVATE KEY-----
`,
  vectors: [
    {
      name: 'RSA-OAEP SHA-1, MGF1 SHA-1 (openssl pkeyutl)',
      hash: 'sha1',
      plaintext: '62796f6b2d6f66666c696e652073656c662d74657374205253412d4f414550205348412d31',
      ciphertext:
        '29f97a409df747fa16b3660150b7591e622af74357543ec8c06cba44491f263c' +
        'd3d24db660d37b0050c35b6f27096885dd7650670752a64807b49aa884da890b' +
        'a8c3929b18b24040c90d4f86ec3390c20f1cd38f377d2f672cbc38e1e39e24c7' +
        '6f395782c60470bf4fe2e830fd0f8170a1e186d2d668532647c960529074c0ed' +
        '56ea9efe32df955ae54c53fc88517ab19509ab5b9b83cf4d5898d31ad8f9c2ff' +
        '52c49b2bceb903f36d275c5d3559a9ff32b73e27b165bef0f43611d01062a19d' +
        '8e32289e1f79d44f675a6bbd1fb29048cd5b918faf25fa5101ad7eaf97d15920' +
        'a229de3cc596f5810f42ff742a2907ab8a81482d62718c6c2ce1eac9dbe020e5',
    },
    {
      name: 'RSA-OAEP SHA-256, MGF1 SHA-256 (openssl pkeyutl)',
      hash: 'sha256',
      plaintext: '62796f6b2d6f66666c696e652073656c662d74657374205253412d4f414550205348412d323536',
      ciphertext:
        '3b495a3599b710db83ff4a9a33d95fc16232c76f5b8f0a457fbeb339e914128f' +
        '24ba674d4b14d15de5d205338954a1977d720fcf52a529766831281ecb8c1efb' +
        '263a55f2171f0b768d0764ca4e533f404bfa2ff3c79cbe10372b73c1e53d9d2b' +
        'ec5fb556543385178749cbb05b4bc91e875195210c259acbe8a825f3c5930687' +
        '5b01c5ab1f4684145c689624dd01cd7a90d3f8a7612fb2e5b153a6a74b83c2d5' +
        '30b8c7c25834573040c85c38840d1f0b5ab859f2f3ccda0caa377380abb58194' +
        '8327aa6cb3f25019f26f97252ef67bee80e446905150470b373e0a287a0ff606' +
        '80d814da40f33eaa4b655ecd6e2772ead8bbb9b704984fe37866b253b96c6198',
    },
  ],
};

export interface KeyWrapVector {
  readonly name: string;
  readonly kek: string;
  readonly key: string;
  readonly wrapped: string;
}

/** RFC 5649 section 6: AES Key Wrap with Padding under a 192-bit KEK. */
export const KEY_WRAP_PAD_VECTORS: readonly KeyWrapVector[] = [
  {
    name: 'RFC 5649 section 6, 20-octet key',
    kek: '5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8',
    key: 'c37b7e6492584340bed12207808941155068f738',
    wrapped: '138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a',
  },
  {
    name: 'RFC 5649 section 6, 7-octet key',
    kek: '5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8',
    key: '466f7250617369',
    wrapped: 'afbeb0f07dfbf5419200f2ccb50bb24f',
  },
];

export interface CmacVector {
  readonly name: string;
  readonly key: string;
  readonly message: string;
  readonly mac: string;
}

const CMAC_MESSAGE =
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
  '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710';
const CMAC_KEY_128 = '2b7e151628aed2a6abf7158809cf4f3c';
const CMAC_KEY_256 = '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4';

/**
 * RFC 4493 section 4 (AES-128), and NIST SP 800-38B appendix D.3 (AES-256, the key size of the
 * symmetric material whose check value byok-offline computes with the same AES-CMAC).
 */
export const CMAC_VECTORS: readonly CmacVector[] = [
  {
    name: 'RFC 4493 example 1, empty message',
    key: CMAC_KEY_128,
    message: '',
    mac: 'bb1d6929e95937287fa37d129b756746',
  },
  {
    name: 'RFC 4493 example 2, 16 bytes',
    key: CMAC_KEY_128,
    message: CMAC_MESSAGE.slice(0, 32),
    mac: '070a16b46b4d4144f79bdd9dd04a287c',
  },
  {
    name: 'RFC 4493 example 3, 40 bytes',
    key: CMAC_KEY_128,
    message: CMAC_MESSAGE.slice(0, 80),
    mac: 'dfa66747de9ae63030ca32611497c827',
  },
  {
    name: 'RFC 4493 example 4, 64 bytes',
    key: CMAC_KEY_128,
    message: CMAC_MESSAGE,
    mac: '51f0bebf7e3b9d92fc49741779363cfe',
  },
  {
    name: 'SP 800-38B D.3 AES-256, empty message',
    key: CMAC_KEY_256,
    message: '',
    mac: '028962f61b7bf89efc6b551f4667d983',
  },
  {
    name: 'SP 800-38B D.3 AES-256, 64 bytes',
    key: CMAC_KEY_256,
    message: CMAC_MESSAGE,
    mac: 'e1992190549f6ed5696a2c056c315410',
  },
];

export interface KcvVector {
  readonly name: string;
  /** A KMS key spec: the rule of docs/bundle-format.md that gives the check value. */
  readonly keySpec:
    | 'SYMMETRIC_DEFAULT'
    | 'HMAC_224'
    | 'HMAC_256'
    | 'HMAC_384'
    | 'HMAC_512'
    | 'ECC_NIST_P256'
    | 'RSA_2048';
  /** The material as KMS imports it, hex (raw key bytes, or PKCS#8 DER); `rsa-oaep-test-key` for RSA_OAEP_VECTORS' key. */
  readonly material: string;
  readonly kcv: string;
}

/**
 * Key check values, computed with OpenSSL 3.0 apart from this code (a test recomputes each with
 * the openssl CLI): AES-256-CMAC of the zero block for symmetric material (`openssl mac -cipher
 * AES-256-CBC -macopt hexkey:KEY CMAC` over 16 zero bytes), HMAC of the zero block with the
 * spec's hash for HMAC material, SHA-256 of the DER public key (`openssl pkey -pubout -outform
 * DER | sha256sum`) for private keys; the first 3 bytes each. The AES key is SP 800-38B D.3's,
 * whose CMAC of the empty message (028962F6…, above) is not the KCV: the KCV's input is a block
 * of zeros. The EC key is RFC 6979 A.2.5's P-256 key.
 */
export const KCV_VECTORS: readonly KcvVector[] = [
  {
    name: 'SYMMETRIC_DEFAULT, SP 800-38B D.3 AES-256 key',
    keySpec: 'SYMMETRIC_DEFAULT',
    material: CMAC_KEY_256,
    kcv: '1A0B2D',
  },
  {
    name: 'SYMMETRIC_DEFAULT, all-zero key',
    keySpec: 'SYMMETRIC_DEFAULT',
    material: '00'.repeat(32),
    kcv: '921105',
  },
  {
    name: 'HMAC_224, key 01..1c',
    keySpec: 'HMAC_224',
    material: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c',
    kcv: 'F46BF0',
  },
  {
    name: 'HMAC_256, key 01..20',
    keySpec: 'HMAC_256',
    material: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20',
    kcv: 'F08DCC',
  },
  {
    name: 'HMAC_384, key 01..30',
    keySpec: 'HMAC_384',
    material:
      '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20' +
      '2122232425262728292a2b2c2d2e2f30',
    kcv: '7FB5ED',
  },
  {
    name: 'HMAC_512, key 01..40',
    keySpec: 'HMAC_512',
    material:
      '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20' +
      '2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40',
    kcv: 'BD50FE',
  },
  {
    name: 'ECC_NIST_P256, RFC 6979 A.2.5 key (PKCS#8)',
    keySpec: 'ECC_NIST_P256',
    material:
      '308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420' +
      'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721' +
      'a1440342000460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
      '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
    kcv: '5A7A78',
  },
  {
    name: "RSA_2048, the RSA-OAEP vectors' throwaway key",
    keySpec: 'RSA_2048',
    material: 'rsa-oaep-test-key',
    kcv: '079281',
  },
];

export type HmacHash = 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface HmacVector {
  readonly name: string;
  readonly key: string;
  readonly data: string;
  readonly mac: Readonly<Record<HmacHash, string>>;
}

/** RFC 4231 section 4, for the four hashes of KMS's HMAC key specs (test case 5 truncates: left out). */
export const HMAC_VECTORS: readonly HmacVector[] = [
  {
    name: 'RFC 4231 test case 1',
    key: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
    data: '4869205468657265',
    mac: {
      sha224: '896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22',
      sha256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      sha384:
        'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c' +
        'faea9ea9076ede7f4af152e8b2fa9cb6',
      sha512:
        '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde' +
        'daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    },
  },
  {
    name: 'RFC 4231 test case 2',
    key: '4a656665',
    data: '7768617420646f2079612077616e7420666f72206e6f7468696e673f',
    mac: {
      sha224: 'a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44',
      sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      sha384:
        'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e' +
        '8e2240ca5e69e2c78b3239ecfab21649',
      sha512:
        '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554' +
        '9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    },
  },
  {
    name: 'RFC 4231 test case 3',
    key: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    data:
      'dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd' +
      'dddddddddddddddddddddddddddddddddddd',
    mac: {
      sha224: '7fb3cb3588c6c1f6ffa9694d7d6ad2649365b0c1f65d69d1ec8333ea',
      sha256: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      sha384:
        '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b' +
        '2a5ab39dc13814b94e3ab6e101a34f27',
      sha512:
        'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39' +
        'bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
    },
  },
  {
    name: 'RFC 4231 test case 4',
    key: '0102030405060708090a0b0c0d0e0f10111213141516171819',
    data:
      'cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd' +
      'cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd',
    mac: {
      sha224: '6c11506874013cac6a2abc1bb382627cec6a90d86efc012de7afec5a',
      sha256: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      sha384:
        '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e' +
        '6801dd23c4a7d679ccf8a386c674cffb',
      sha512:
        'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db' +
        'a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
    },
  },
  {
    name: 'RFC 4231 test case 6',
    key:
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaa',
    data:
      '54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a' +
      '65204b6579202d2048617368204b6579204669727374',
    mac: {
      sha224: '95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e',
      sha256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      sha384:
        '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6' +
        '0c2ef6ab4030fe8296248df163f44952',
      sha512:
        '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352' +
        '6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
    },
  },
  {
    name: 'RFC 4231 test case 7',
    key:
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' +
      'aaaaaa',
    data:
      '5468697320697320612074657374207573696e672061206c6172676572207468' +
      '616e20626c6f636b2d73697a65206b657920616e642061206c61726765722074' +
      '68616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565' +
      '647320746f20626520686173686564206265666f7265206265696e6720757365' +
      '642062792074686520484d414320616c676f726974686d2e',
    mac: {
      sha224: '3a854166ac5d9f023f54d517d0b39dbd946770db9c2b95c9f6f565d1',
      sha256: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      sha384:
        '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5' +
        'a678cc31e799176d3860e6110c46523e',
      sha512:
        'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944' +
        'b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
    },
  },
];

export interface Ed25519Vector {
  readonly name: string;
  readonly secretKey: string;
  readonly publicKey: string;
  readonly message: string;
  readonly signature: string;
}

/** RFC 8032 section 7.1, tests 1 to 3. */
export const ED25519_VECTORS: readonly Ed25519Vector[] = [
  {
    name: 'RFC 8032 7.1 test 1, empty message',
    secretKey: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555' +
      'fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'RFC 8032 7.1 test 2, 1 byte',
    secretKey: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature:
      '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da' +
      '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'RFC 8032 7.1 test 3, 2 bytes',
    secretKey: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    publicKey: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature:
      '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac' +
      '18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

export interface Sha256Vector {
  readonly name: string;
  /** The message is `text` (ASCII) repeated `repeat` times. */
  readonly text: string;
  readonly repeat: number;
  readonly digest: string;
  /**
   * Checked by node:crypto only. shared's SHA-256 is JavaScript: a megabyte through it cost
   * about 18 ms of every command's start, where OpenSSL's takes 2. shared's runs the other
   * vectors: one block, and two with the length in the last block or in a block of its own.
   */
  readonly nodeCryptoOnly?: true;
}

/** FIPS 180-2 appendix B: the SHA-256 examples. */
export const SHA256_VECTORS: readonly Sha256Vector[] = [
  {
    name: 'FIPS 180-2 B.1, "abc"',
    text: 'abc',
    repeat: 1,
    digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  },
  {
    name: 'FIPS 180-2 B.2, 448-bit message',
    text: 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    repeat: 1,
    digest: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  },
  {
    name: 'FIPS 180-2 (SHA-256 examples), 896-bit message',
    text: 'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    repeat: 1,
    digest: 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  },
  {
    name: 'FIPS 180-2 B.3, one million "a"',
    text: 'a',
    repeat: 1_000_000,
    digest: 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    nodeCryptoOnly: true,
  },
];

export interface ShamirVector {
  readonly name: string;
  readonly secret: string;
  readonly threshold: number;
  /** Made once by shamir-secret-sharing 0.0.4, split(secret, 5, 3); combine is deterministic. */
  readonly shares: readonly string[];
}

export const SHAMIR_VECTOR: ShamirVector = {
  name: 'shamir-secret-sharing 0.0.4, 3 of 5 shares',
  secret: '62796f6b2d6f66666c696e652073656c662d74657374205368616d697220736563726574',
  threshold: 3,
  shares: [
    '13a692181f71a620477618a249b6c07724f4c0e687370d0e4eb8bccdc98e2fd957588a923d',
    '0dd778938df47834ea05449e38d90cb94522e4d7547246b71c5e524cd9af1e036eb928fc3c',
    '659e9dfd21fa6806c2b5aae7c9a9af1632476c898b0761a0b06d01b37c137cb276263baaf5',
    '05cce6f2a5de541094ec023ba2a68db2ebe2dd0fca1a1b4c79c49884a7bf7f8306aeb7ea74',
    '867b14643e2070ecefed0f4b35779266808fd6695aea333e867ba432a65ef56dfed63b8744',
  ],
};
