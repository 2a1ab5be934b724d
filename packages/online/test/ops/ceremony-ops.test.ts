import { describe, expect, it } from 'vitest';
import {
  ByokError,
  auditEntryHash,
  bundleDigest,
  checkCodeOf,
  type AuditEntry,
  type ImportRequestBundle,
} from '@byok-ceremony/shared';
import {
  AuditSession,
  factsOfFailure,
  type Ceremony,
  type CeremonyFacts,
  type LoggedAuditEntry,
  type OutputWriter,
} from '@byok-ceremony/node-io';
import { createKeyCeremony } from '../../src/ops/create-key-ceremony.js';
import { importCeremony, type ImportCeremonyPorts } from '../../src/ops/import-ceremony.js';
import { importRawCeremony } from '../../src/ops/import-raw-ceremony.js';
import { prepareCeremony } from '../../src/ops/prepare-ceremony.js';
import { FakeKmsPort } from '../helpers/fake-kms-port.js';
import { wrapForTest } from '../helpers/wrap-for-test.js';
import { memoryJournal } from '../helpers/memory-journal.js';

const NOW = new Date('2026-12-01T08:00:00Z');
const OPERATORS = ['ALICE', 'BOB'];
const NEVER = { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', validTo: undefined } as const;

/** An operation that is to fail: its error, and the facts the error carries for the entry. */
async function failureOf<T>(
  op: Promise<Ceremony<T>>,
): Promise<{ readonly error: unknown; readonly facts: CeremonyFacts }> {
  const error = await op.then(
    () => new Error('the operation succeeded'),
    (e: unknown) => e,
  );
  return { error, facts: factsOfFailure(error) };
}

/** Files in memory: what the operations read and write instead of the disk. */
function memoryFiles(): { files: Map<string, Uint8Array>; writer: OutputWriter } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    writer: {
      assertWritable: (path) =>
        files.has(path) ? Promise.reject(new Error(`${path} exists`)) : Promise.resolve(),
      write: (path, data) => {
        files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data);
        return Promise.resolve();
      },
    },
  };
}

async function preparedCeremony(kms: FakeKmsPort, count: number) {
  const arns: string[] = [];
  for (let i = 0; i < count; i++) {
    const { result: created, facts } = await createKeyCeremony(
      {
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: undefined,
        description: undefined,
        alias: undefined,
        multiRegion: false,
        tags: [],
      },
      { openKms: () => Promise.resolve(kms) },
    );
    expect(facts.keys).toEqual([
      { keyArn: created.arn, keySpec: 'SYMMETRIC_DEFAULT', keyState: 'PendingImport' },
    ]);
    arns.push(created.arn);
  }
  const { files, writer } = memoryFiles();
  const { result: prepared, facts: session } = await prepareCeremony(
    {
      keyIds: arns,
      wrappingAlgorithm: undefined,
      wrappingKeySpec: 'RSA_2048',
      operators: OPERATORS,
      out: '/m/request.json',
      rawDir: undefined,
      mode: 'auto',
      keyMaterialId: undefined,
      expectKcv: new Map(),
      kcvOnRecord: undefined,
      withReplicas: false,
      plan: undefined,
      importedOnRecord: new Set<string>(),
      createdWithoutAlias: new Map<string, string>(),
      concurrency: 4,
    },
    {
      openKms: () => Promise.resolve(kms),
      now: () => NOW,
      newCeremonyId: () => '00000000-0000-4000-8000-000000000001',
      logHead: null,
      writer,
      writeRawParameters: () => Promise.reject(new Error('not asked for')),
      qr: undefined,
      wait: { sleep: () => Promise.resolve(), budgetMs: 0 },
    },
  );
  const logged: LoggedAuditEntry[] = [];
  const line = JSON.stringify({
    seq: 0,
    command: 'prepare',
    outcome: 'ok',
    outputs: session.outputs,
    keys: [],
  });
  logged.push({ hash: auditEntryHash(line), entry: JSON.parse(line) as AuditEntry });
  return { prepared, files, session, logged };
}

function importPorts(
  kms: FakeKmsPort,
  files: Map<string, Uint8Array>,
  overrides: Partial<ImportCeremonyPorts> = {},
): ImportCeremonyPorts & { said: string[] } {
  const said: string[] = [];
  return {
    said,
    openKms: () => Promise.resolve(kms),
    now: () => NOW,
    readFile: (path) => Promise.resolve(files.get(path)!),
    say: (line) => said.push(line),
    scanWrapped: () => Promise.reject(new Error('no scan')),
    typedCheckCodes: () => Promise.reject(new Error('no codes given')),
    localLog: [],
    localLogPath: '/m/byok-online-audit.jsonl',
    wait: { sleep: () => Promise.resolve(), budgetMs: 0 },
    signal: new AbortController().signal,
    openJournal: memoryJournal().open,
    ...overrides,
  };
}

function withWrapped(files: Map<string, Uint8Array>, request: ImportRequestBundle): string {
  const wrapped = wrapForTest(request);
  files.set('/m/wrapped.json', new TextEncoder().encode(JSON.stringify(wrapped)));
  return checkCodeOf(bundleDigest(wrapped));
}

const input = {
  request: '/m/request.json',
  wrapped: { kind: 'file', path: '/m/wrapped.json' },
  operators: OPERATORS,
  expiration: NEVER,
  rotate: false,
  resume: false,
  concurrency: 4,
} as const;

describe('prepareCeremony', () => {
  it('records the sender code beside the digests, and closes KMS', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files, session } = await preparedCeremony(kms, 2);
    expect(prepared.checkCode).toBe(checkCodeOf(bundleDigest(prepared.bundle)));
    expect(session.checkCodes).toEqual({ request: prepared.checkCode });
    expect(session.outputs?.['request']).toBe(prepared.digest);
    expect(files.has('/m/request.json')).toBe(true);
    expect(kms.calls.filter((c) => c === 'GetParametersForImport')).toHaveLength(2);
    expect(kms.closed).toBe(3);
  });

  it('refuses an existing output before any KMS call', async () => {
    const kms = new FakeKmsPort();
    const { files, writer } = memoryFiles();
    files.set('/m/request.json', new Uint8Array());
    const attempt = prepareCeremony(
      {
        keyIds: ['k'],
        wrappingAlgorithm: undefined,
        wrappingKeySpec: 'RSA_2048',
        operators: OPERATORS,
        out: '/m/request.json',
        rawDir: undefined,
        mode: 'auto',
        keyMaterialId: undefined,
        expectKcv: new Map(),
        kcvOnRecord: undefined,
        withReplicas: false,
        plan: undefined,
        importedOnRecord: new Set<string>(),
        createdWithoutAlias: new Map<string, string>(),
        concurrency: 1,
      },
      {
        openKms: () => Promise.resolve(kms),
        now: () => NOW,
        newCeremonyId: () => 'x',
        logHead: null,
        writer,
        writeRawParameters: () => Promise.resolve(),
        qr: undefined,
        wait: { sleep: () => Promise.resolve(), budgetMs: 0 },
      },
    );
    await expect(attempt).rejects.toThrow(/exists/);
    expect(kms.calls).toEqual([]);
  });
});

describe('importCeremony', () => {
  it('imports every key once the codes match, and only then records the code and digests', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files, logged } = await preparedCeremony(kms, 2);
    const code = withWrapped(files, prepared.bundle);
    const ports = importPorts(kms, files, {
      localLog: logged,
      typedCheckCodes: () => Promise.resolve([code, code.toLowerCase()]),
    });
    const { result, facts: session } = await importCeremony(input, ports);
    expect(result.keys.map((k) => k.keyState)).toEqual(['Enabled', 'Enabled']);
    expect(session.checkCodes).toEqual({ wrapped: code });
    expect(session.inputs?.['request']).toBe(prepared.digest);
    expect(session.keys?.every((k) => k.keyMaterialId !== undefined)).toBe(true);
    expect(ports.said).toEqual(['Check code confirmed by ALICE and BOB']);
  });

  it('a wrong code: refused before KMS, and neither error nor facts carry the code or digest', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files } = await preparedCeremony(kms, 1);
    const code = withWrapped(files, prepared.bundle);
    const session = new AuditSession('import', OPERATORS);
    kms.calls.length = 0;
    const { error, facts } = await failureOf(
      importCeremony(
        input,
        importPorts(kms, files, {
          typedCheckCodes: () => Promise.resolve([code, 'AAAA-AAAA-AAAA-AAAA-AAAA']),
        }),
      ),
    );
    expect(error).toMatchObject({ code: 'ERR_CHECK_CODE_MISMATCH' });
    const record = JSON.stringify(session.record(facts, error)).toLowerCase();
    const flat = code.replace(/-/g, '').toLowerCase();
    expect(record.replace(/-/g, '')).not.toContain(flat);
    expect(record).not.toContain(
      bundleDigest(
        JSON.parse(new TextDecoder().decode(files.get('/m/wrapped.json'))) as ImportRequestBundle,
      ),
    );
    expect(kms.calls).toEqual([]);
  });

  it('expired parameters are refused before any prompt; a foreign request is warned about', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files } = await preparedCeremony(kms, 1);
    withWrapped(files, prepared.bundle);
    let asked = false;
    const ports = importPorts(kms, files, {
      now: () => new Date('2026-12-03T00:00:00Z'),
      typedCheckCodes: () => {
        asked = true;
        return Promise.resolve([]);
      },
    });
    await expect(importCeremony(input, ports)).rejects.toMatchObject({
      code: 'ERR_PARAMETERS_EXPIRED',
    });
    expect(asked).toBe(false);
    const fresh = importPorts(kms, files, { typedCheckCodes: () => Promise.resolve(['x', 'y']) });
    await importCeremony(input, fresh).catch(() => undefined);
    expect(fresh.said[0]).toMatch(
      /^warning: the import request was not prepared with this audit log/,
    );
  });

  it('stops between keys when interrupted; --resume imports exactly the rest', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files, logged } = await preparedCeremony(kms, 3);
    const code = withWrapped(files, prepared.bundle);
    const controller = new AbortController();
    kms.beforeImport = (keyId) => {
      if (keyId === prepared.bundle.targets[1]!.keyArn) controller.abort();
    };
    const journal = memoryJournal();
    const codes = () => Promise.resolve([code, code]);
    const first = await failureOf(
      importCeremony(
        { ...input, concurrency: 1 },
        importPorts(kms, files, {
          localLog: logged,
          typedCheckCodes: codes,
          signal: controller.signal,
          openJournal: journal.open,
        }),
      ),
    );
    expect(first.error).toMatchObject({ code: 'ERR_INTERRUPTED', message: /after 2 of 3 key/ });
    expect(first.facts.keys?.map((k) => k.keyArn)).toEqual(
      prepared.bundle.targets.slice(0, 2).map((t) => t.keyArn),
    );
    expect(journal.lines.map((l) => ('event' in l ? l.event : 'header'))).toEqual([
      'header',
      'sending',
      'imported',
      'sending',
      'imported',
    ]);
    // A plain run is refused while the journal exists; --resume does the rest.
    kms.beforeImport = () => undefined;
    // The same log: its prepare shows what the keys had, so KMS can bear out the journal.
    const ports = importPorts(kms, files, {
      localLog: logged,
      typedCheckCodes: codes,
      openJournal: journal.open,
    });
    await expect(importCeremony(input, ports)).rejects.toThrow('journal exists');
    kms.calls.length = 0;
    const { result: again, facts: resumed } = await importCeremony(
      { ...input, resume: true },
      ports,
    );
    expect(again.keys.map((k) => k.alreadyHeld)).toEqual([false, false, false]);
    expect([...kms.keys.values()].map((k) => k.imports)).toEqual([1, 1, 1]);
    // Keys done before are confirmed read-only (the journal is not trusted alone); only the
    // third key is imported: its first material, so KMS's answer says it is Enabled (no wait).
    expect(kms.calls.filter((c) => c !== 'ListKeyRotations')).toEqual([
      'DescribeKey',
      'ImportKeyMaterial',
    ]);
    expect(kms.calls.filter((c) => c === 'ListKeyRotations')).toHaveLength(2);
    expect(resumed.inputs?.['resumedJournal']).toMatch(/^[0-9a-f]{64}$/);
    expect(resumed.keys?.map((k) => k.keyArn)).toEqual(
      prepared.bundle.targets.map((t) => t.keyArn),
    );
    expect(ports.said).toContain(
      'resuming the journaled import: 2 of 3 key(s) done, 0 sent without a recorded answer (checked in KMS before anything is sent again), 1 not started',
    );
  });

  it('an answer lost after KMS imported: checked in KMS, never sent again', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files } = await preparedCeremony(kms, 2);
    kms.calls.length = 0; // count the import's calls only
    const code = withWrapped(files, prepared.bundle);
    const lost = prepared.bundle.targets[0]!.keyArn;
    let failures = 0;
    kms.afterImport = (keyId) => {
      if (keyId === lost && failures++ === 0)
        throw new ByokError('ERR_KMS', 'cannot reach KMS (ECONNRESET)', {
          cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
        });
    };
    const { result } = await importCeremony(
      input,
      importPorts(kms, files, { typedCheckCodes: () => Promise.resolve([code, code]) }),
    );
    expect(result.keys.map((k) => k.keyState)).toEqual(['Enabled', 'Enabled']);
    expect([...kms.keys.values()].map((k) => k.imports)).toEqual([1, 1]);
    expect(kms.calls.filter((c) => c === 'ListKeyRotations')).toHaveLength(1);
  });

  it("a key a journal says was sent: sent again only after KMS says it did not land, then waited for, the journal's word for the key before not taken", async () => {
    const kms = new FakeKmsPort();
    const { prepared, files, logged } = await preparedCeremony(kms, 1);
    const code = withWrapped(files, prepared.bundle);
    const journal = memoryJournal();
    const ports = () =>
      importPorts(kms, files, {
        localLog: logged,
        typedCheckCodes: () => Promise.resolve([code, code]),
        openJournal: journal.open,
      });
    // The first run journals the sending, then stops without an answer KMS ever acted on.
    kms.beforeImport = () => {
      throw new ByokError('ERR_KMS', 'KMS refused ImportKeyMaterial: KMSInvalidStateException', {
        cause: Object.assign(new Error('KMSInvalidStateException'), {
          name: 'KMSInvalidStateException',
          $metadata: { httpStatusCode: 400 },
        }),
      });
    };
    await failureOf(importCeremony(input, ports()));
    expect(journal.lines.map((l) => ('event' in l ? l.event : 'header'))).toEqual([
      'header',
      'sending',
    ]);
    kms.beforeImport = () => undefined;
    kms.calls.length = 0;
    const { result } = await importCeremony({ ...input, resume: true }, ports());
    expect(result.keys.map((k) => k.keyState)).toEqual(['Enabled']);
    // importLanded's DescribeKey, the import, and the wait's DescribeKey.
    expect(kms.calls).toEqual(['DescribeKey', 'ImportKeyMaterial', 'DescribeKey']);
  });

  it('a throttled import is sent again; a refused one stops the run', async () => {
    const kms = new FakeKmsPort();
    const { prepared, files } = await preparedCeremony(kms, 2);
    const code = withWrapped(files, prepared.bundle);
    const sdkError = (name: string, status: number) =>
      new ByokError('ERR_KMS', `KMS refused ImportKeyMaterial: ${name}`, {
        cause: Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } }),
      });
    let throttles = 2;
    kms.beforeImport = (keyId) => {
      if (keyId === prepared.bundle.targets[0]!.keyArn && throttles-- > 0)
        throw sdkError('ThrottlingException', 400);
      if (keyId === prepared.bundle.targets[1]!.keyArn)
        throw sdkError('InvalidCiphertextException', 400);
    };
    const { error, facts: session } = await failureOf(
      importCeremony(
        { ...input, concurrency: 1 },
        importPorts(kms, files, { typedCheckCodes: () => Promise.resolve([code, code]) }),
      ),
    );
    expect(error).toMatchObject({ message: expect.stringContaining('InvalidCiphertextException') });
    expect([...kms.keys.values()].map((k) => k.imports)).toEqual([1, 0]);
    expect(kms.calls.filter((c) => c === 'ImportKeyMaterial')).toHaveLength(1);
    expect(session.keys?.map((k) => k.keyArn)).toEqual([prepared.bundle.targets[0]!.keyArn]);
  });
});

describe('importRawCeremony', () => {
  it('imports the raw files and records their digests and the key', async () => {
    const kms = new FakeKmsPort();
    const created = await kms.createKey({
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      description: undefined,
      multiRegion: false,
      tags: [],
    });
    const files = new Map([
      ['/m/ImportToken.bin', new Uint8Array([1])],
      ['/m/EncryptedKeyMaterial.bin', new Uint8Array([2])],
    ]);
    const { result, facts: session } = await importRawCeremony(
      {
        keyId: created.keyId,
        importToken: '/m/ImportToken.bin',
        encryptedKeyMaterial: '/m/EncryptedKeyMaterial.bin',
        expiration: NEVER,
      },
      {
        openKms: () => Promise.resolve(kms),
        readFile: (path) => Promise.resolve(files.get(path)!),
        wait: { sleep: () => Promise.resolve(), budgetMs: 0 },
      },
    );
    expect(result).toMatchObject({ keyArn: created.arn, keyState: 'Enabled' });
    expect(session.exceptions).toEqual(['raw-mode']);
    expect(Object.keys(session.inputs ?? {})).toEqual(['importToken', 'encryptedKeyMaterial']);
  });
});
