import { resolve } from 'node:path';
import { readInputFile } from '@byok-ceremony/node-io';
import { entriesOnRecord, kcvsOnRecord, lastImportedKcv } from '../ops/kcv-on-record.js';

/** Key ARN and KeyMaterialId → the KCVs the ceremony's logs recorded, sorted, each once. */
export type RecordedKcvs = (keyArn: string, keyMaterialId: string | null) => string[];

/**
 * `status --record LOG...`: each log read and its chain checked before KMS is opened, so a
 * wrong file is refused first. The logs are read as one record: an import's KCV for a
 * KeyMaterialId is the answer even where the offline log's wraps name no material; for a key
 * KMS names no current material of, the last import's KCV.
 */
export async function recordedKcvsOf(
  cwd: string,
  logs: readonly string[],
): Promise<RecordedKcvs | undefined> {
  if (logs.length === 0) return undefined;
  const entries = (
    await Promise.all(
      logs.map(async (log) =>
        entriesOnRecord(
          (await readInputFile(resolve(cwd, log), 'audit log')).toString('utf8'),
          log,
          'record',
        ),
      ),
    )
  ).flat();
  return (keyArn, keyMaterialId) => {
    const last = keyMaterialId === null ? lastImportedKcv(entries, keyArn) : undefined;
    return last === undefined ? kcvsOnRecord(entries, keyArn, keyMaterialId) : [last];
  };
}
