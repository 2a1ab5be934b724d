import { createHash } from 'node:crypto';
import {
  materialSetDigest,
  parseShareFile,
  serializeMaterialSetBytes,
  type AuditBackupRecord,
  type BackupSpec,
  type MaterialSet,
} from '@byok-ceremony/shared';
import { encryptMaterialSet, type AgeTarget } from './encrypt-material-set.js';
import { nodeSha256 } from './node-sha256.js';
import { splitMaterialSet } from './split-material-set.js';

/** One file of a backup: a share, its page or the age file. */
export interface BackupFile {
  readonly name: string;
  readonly bytes: Uint8Array | string;
}

export const AGE_FILE_NAME = 'material-set.age';

export interface Backups {
  /** Every file for --backup-dir: shares, their pages, the age file. */
  readonly files: readonly BackupFile[];
  /** What the audit entry records: schemes, share labels, KCVs and file digests, never a share. */
  readonly record: AuditBackupRecord;
}

function schemeOf(spec: BackupSpec): string {
  switch (spec.kind) {
    case 'shamir':
      return `shamir:${spec.threshold}-of-${spec.shares}`;
    case 'age-recipient':
      return `age:${spec.recipient}`;
    case 'age-passphrase':
      return 'age:passphrase';
  }
}

/**
 * The backups of one material set for the --backup choices given (already checked to combine):
 * a Shamir split as share files and a printable page each, and one age file for the recipients
 * or the passphrase. Nothing is written here.
 */
export async function makeBackups(
  set: MaterialSet,
  specs: readonly BackupSpec[],
  passphrase: string | undefined,
): Promise<Backups> {
  const files: BackupFile[] = [];
  const plain = serializeMaterialSetBytes(set);
  const setDigest = materialSetDigest(plain, nodeSha256);
  plain.fill(0);
  let splitId: string | null = null;
  const shares: AuditBackupRecord['shares'][number][] = [];
  const shamir = specs.find((s) => s.kind === 'shamir');
  if (shamir !== undefined) {
    // Loaded here: the QR encoder is needed only for the share pages.
    const { renderSharePage } = await import('./render-share-page.js');
    const split = await splitMaterialSet(set, shamir.threshold, shamir.shares);
    for (const file of split.files) {
      const share = parseShareFile(file.text, nodeSha256);
      splitId = share.splitId;
      try {
        files.push({ name: file.name, bytes: file.text });
        files.push({
          name: file.name.replace(/\.txt$/, '.html'),
          bytes: renderSharePage(share, file.text, file.name),
        });
      } finally {
        share.share.fill(0);
      }
      shares.push({
        index: share.index,
        count: share.count,
        threshold: share.threshold,
        sha256: createHash('sha256').update(file.text).digest('hex'),
      });
    }
  }
  const recipients = specs.flatMap((s) => (s.kind === 'age-recipient' ? [s.recipient] : []));
  const target: AgeTarget | undefined =
    recipients.length > 0
      ? { kind: 'recipients', recipients }
      : specs.some((s) => s.kind === 'age-passphrase') && passphrase !== undefined
        ? { kind: 'passphrase', passphrase }
        : undefined;
  if (target !== undefined)
    files.push({ name: AGE_FILE_NAME, bytes: await encryptMaterialSet(set, target) });
  return {
    files,
    record: {
      schemes: specs.map(schemeOf),
      setDigest,
      splitId,
      shares,
      files: files.map((f) => ({
        name: f.name,
        sha256: createHash('sha256').update(f.bytes).digest('hex'),
      })),
      covers: set.groups.map((g) => ({
        materialGroup: g.materialGroup,
        keySpec: g.keySpec,
        kcv: g.kcv,
      })),
    },
  };
}
