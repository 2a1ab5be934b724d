import { describe, expect, it } from 'vitest';
import { ByokError, checkPlan, digestPlan, parsePlanText } from '../../src/index.js';

const FP_A = 'a'.repeat(64);
const FP_B = 'b'.repeat(64);

const PLAN = `# reviewed 2026-12-01
format: byok-ceremony/plan
version: 1
name: payments 2026-Q4
account: "111122223333"
region: eu-west-1
operators:
  - name: ALICE
    operatorKey: ${FP_A}
  - name: BOB
    operatorKey: ${FP_B}
witness: WENDY
material:
  source: generate
backup: [shamir:3-of-5, age:age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq]
keys:
  - alias: alias/payments-data
    keySpec: SYMMETRIC_DEFAULT
    description: payments data key
    tags: {team: payments, cost-centre: "42"}
    policyFile: policies/payments.json
    replicaRegions: [us-east-1]
  - alias: alias/payments-mac
    keySpec: HMAC_256
    validTo: 2027-06-30T00:00:00Z
  - alias: alias/payments-sign
    keySpec: ECC_NIST_P256
`;

async function problemsOf(text: string): Promise<string[]> {
  try {
    checkPlan(await parsePlanText(text, 'plan.yaml'), 'plan.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ByokError);
    return [...(error as ByokError).details];
  }
  throw new Error('the plan was accepted');
}

describe('checkPlan', () => {
  it('reads a valid plan with the defaults filled in', async () => {
    const plan = checkPlan(await parsePlanText(PLAN, 'plan.yaml'), 'plan.yaml');
    expect(plan.operators.map((o) => o.name)).toEqual(['ALICE', 'BOB']);
    expect(plan.keys[0]).toMatchObject({
      alias: 'alias/payments-data',
      keyUsage: 'ENCRYPT_DECRYPT',
      replicaRegions: ['us-east-1'],
      validTo: null,
      tags: { team: 'payments', 'cost-centre': '42' },
    });
    expect(plan.keys[1]!.keyUsage).toBe('GENERATE_VERIFY_MAC');
    expect(plan.keys[2]!.keyUsage).toBe('SIGN_VERIFY');
    expect(plan.backup).toEqual([
      { kind: 'shamir', threshold: 3, shares: 5 },
      { kind: 'age-recipient', recipient: expect.stringMatching(/^age1/) },
    ]);
    expect(plan.wrappingKeySpec).toBe('RSA_4096');
  });

  it('lists every problem with its path, not just the first', async () => {
    const bad = PLAN.replace('version: 1', 'version: 2')
      .replace('"111122223333"', '111122223333')
      .replace('name: BOB', 'name: ВОВ\n    colour: red')
      .replace('keySpec: HMAC_256', 'keySpec: HMAC_257')
      .replace('[us-east-1]', '[eu-west-1]')
      .replace('policies/payments.json', '../payments.json')
      .replace('witness: WENDY', 'witness: alice');
    const problems = await problemsOf(bad);
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.version: must be 1',
        '$.account: must be a quoted string ("…"): YAML read it as a number',
        '$.operators[1].colour: unknown field',
        expect.stringMatching(/^\$\.keys\[1\]\.keySpec: must be one of /),
        "$.keys[0].replicaRegions[0]: eu-west-1 is the plan's own Region, where the primary key is",
        expect.stringMatching(/^\$\.keys\[0\]\.policyFile: must be a path relative/),
      ]),
    );
  });

  it('refuses two names for one person, the witness as an operator, and keys or aliases twice', async () => {
    const problems = await problemsOf(
      PLAN.replace('name: BOB', 'name: ВОВ')
        .replace(`operatorKey: ${FP_A}`, `operatorKey: ${FP_B}`)
        .replace('witness: WENDY', 'witness: Alice')
        .replace('alias/payments-mac', 'alias/PAYMENTS-DATA'),
    );
    expect(problems.join('\n')).toMatch(/\$\.operators: two operators have the same operator key/);
    expect(problems).toContain('$.witness: the witness must be a person other than the operators');
    expect(problems.join('\n')).toMatch(
      /\$\.keys\[1\]\.alias: alias\/PAYMENTS-DATA is also \$\.keys\[0\]/,
    );
  });

  it('refuses keys KMS cannot import, usages their spec has not, and wrapping that cannot carry them', async () => {
    const problems = await problemsOf(
      PLAN.replace('keySpec: HMAC_256', 'keySpec: HMAC_256\n    keyUsage: ENCRYPT_DECRYPT')
        .replace('keySpec: SYMMETRIC_DEFAULT', 'keySpec: SM2')
        .replace('keySpec: ECC_NIST_P256', 'keySpec: RSA_2048')
        .replace(
          'backup: [',
          'wrapping: {algorithm: RSAES_OAEP_SHA_256, keySpec: RSA_2048}\nbackup: [',
        ),
    );
    expect(problems).toContain('$.keys[0].keySpec: KMS does not accept imported material for SM2');
    expect(problems.join('\n')).toMatch(
      /\$\.keys\[1\]\.keyUsage: must be one of GENERATE_VERIFY_MAC/,
    );
    expect(problems.join('\n')).toMatch(
      /\$\.keys\[2\]\.keySpec: RSAES_OAEP_SHA_256 cannot wrap RSA_2048/,
    );
  });

  it('refuses a backup with material the custodians keep, and an unknown backup', async () => {
    const problems = await problemsOf(
      PLAN.replace('source: generate', 'source: components\n  custodians: 3').replace(
        'shamir:3-of-5',
        'shamir:1-of-5',
      ),
    );
    expect(problems.join('\n')).toMatch(/\$\.backup\[0\]: shamir:1-of-5/);
    expect(problems.join('\n')).toMatch(
      /\$\.backup: backs up generated material; with source components/,
    );
  });

  it('reads a token as the material source, and refuses a backup of it or a field of another source', async () => {
    const hsm = PLAN.replace(
      'source: generate',
      'source: hsm\n  token: ceremony-token\n  serial: 7f1c2a3b4d5e6f70',
    ).replace(/^backup: .*$/m, 'backup: none');
    const plan = checkPlan(await parsePlanText(hsm, 'plan.yaml'), 'plan.yaml');
    expect(plan.material).toEqual({
      source: 'hsm',
      token: 'ceremony-token',
      serial: '7f1c2a3b4d5e6f70',
    });
    const other = checkPlan(
      await parsePlanText(hsm.replace('7f1c2a3b4d5e6f70', '"0012"'), 'p.yaml'),
      'p.yaml',
    );
    expect(digestPlan(other, {}).digest).not.toBe(digestPlan(plan, {}).digest);
    const problems = await problemsOf(
      PLAN.replace('source: generate', 'source: hsm\n  custodians: 3\n  serial: "has space"'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.material.custodians: not for source hsm',
        "$.material.token: missing: the token's label: 1–32 printable ASCII characters, no space at either end",
        "$.material.serial: must be the token's serial number: 1–16 printable ASCII characters, no spaces",
      ]),
    );
    expect(problems.join('\n')).toMatch(
      /\$\.backup: backs up plaintext, which never leaves the token/,
    );
    // Label and serial both: a label alone is whatever a token was initialised with.
    expect(await problemsOf(hsm.replace(/\n {2}serial: .*/, ''))).toEqual([
      "$.material.serial: missing: the token's serial number: 1–16 printable ASCII characters, no spaces",
    ]);
    // A serial YAML reads as a number would lose its leading zeros: it must be quoted.
    expect(await problemsOf(hsm.replace('7f1c2a3b4d5e6f70', '0012'))).toEqual([
      '$.material.serial: must be a quoted string ("…"): YAML read it as a number',
    ]);
    expect(
      (await problemsOf(PLAN.replace('source: generate', 'source: generate\n  token: t'))).join(
        '\n',
      ),
    ).toMatch(/\$\.material\.token: not for source generate/);
  });

  it('refuses anchors, aliases, tags, duplicate keys and a second document', async () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: 1\na: 2\n', 'a: 1\n---\nb: 2\n']) {
      await expect(parsePlanText(text, 'p.yaml')).rejects.toThrow(ByokError);
    }
  });

  it('reads the same plan as JSON with the same digest and code', async () => {
    const yaml = checkPlan(await parsePlanText(PLAN, 'plan.yaml'), 'plan.yaml');
    const json = checkPlan(
      await parsePlanText(JSON.stringify(await parsePlanText(PLAN, 'x')), 'plan.json'),
      'plan.json',
    );
    const digests = { 'policies/payments.json': 'c'.repeat(64) };
    expect(digestPlan(json, digests)).toEqual(digestPlan(yaml, digests));
    expect(digestPlan(yaml, digests).code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  });

  it('changes the digest when a policy file or any field changes', async () => {
    const plan = checkPlan(await parsePlanText(PLAN, 'plan.yaml'), 'plan.yaml');
    const base = digestPlan(plan, { 'policies/payments.json': 'c'.repeat(64) }).digest;
    expect(digestPlan(plan, { 'policies/payments.json': 'd'.repeat(64) }).digest).not.toBe(base);
    const other = checkPlan(
      await parsePlanText(PLAN.replace('cost-centre: "42"', 'cost-centre: "43"'), 'p'),
      'p',
    );
    expect(digestPlan(other, { 'policies/payments.json': 'c'.repeat(64) }).digest).not.toBe(base);
  });
});
