import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnline } from '../helpers/run-online.js';
import { simForThisFile } from '../helpers/sim-env.js';
import { Ceremony } from './ceremony-steps.js';

const s = simForThisFile();

describe('byok-online speaks plainly about Regions, profiles and swapped files', () => {
  it('AWS_DEFAULT_REGION counts as the AWS CLI counts it, after AWS_REGION', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const viaDefault = await c.online(['status', '--key-id', arn], ['--endpoint-url', s.sim.url]);
    expect(viaDefault.code).not.toBe(0);
    expect(viaDefault.stderr).toContain(
      'neither --region, AWS_REGION, AWS_DEFAULT_REGION nor the profile',
    );
    const env = { ...s.env, AWS_DEFAULT_REGION: s.sim.region };
    const ok = await runOnline(['--endpoint-url', s.sim.url, 'status', '--key-id', arn], {
      cwd: c.onlineDir,
      env,
    });
    expect(ok.code, ok.stderr).toBe(0);
    // AWS_REGION wins over AWS_DEFAULT_REGION, as in the AWS CLI: the ARN's Region is then "another Region".
    const both = await runOnline(['--endpoint-url', s.sim.url, 'status', '--key-id', arn], {
      cwd: c.onlineDir,
      env: { ...env, AWS_REGION: 'us-east-1' },
    });
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain(
      `is a key in Region ${s.sim.region}, but this command talks to KMS in us-east-1`,
    );
  });

  it('--profile naming no profile says so and lists the ones there are', async () => {
    const c = await Ceremony.start(s);
    await writeFile(join(s.configDir, 'config'), '[profile ceremony]\nregion = eu-west-2\n');
    try {
      const r = await c.online(['status', '--key-id', 'alias/x', '--profile', 'ceremny']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('error: --profile ceremny names no profile');
      expect(r.stderr).toContain('hint: Profiles defined: ceremony.');
    } finally {
      await writeFile(join(s.configDir, 'config'), '');
    }
  });

  it('import --request WRAPPED --wrapped REQUEST says "swapped?" in one line', async () => {
    const c = await Ceremony.start(s);
    const arn = await c.createKey();
    const prep = await c.prepare('r.json', ['--key-id', arn]);
    const code = await c.wrap('r.json', prep.checkCode, 'w.json');
    const r = await c.importRaw('w.json', 'r.json', code);
    expect(r.code).not.toBe(0);
    const errors = r.stderr.split('\n').filter((l) => l.includes('error:'));
    expect(errors).toEqual([
      'byok-online: error: --request is a wrapped-key bundle and --wrapped an import request: swapped?',
    ]);
  });
});
